import { isIP } from 'node:net';
import { classifyAddress, type AddressClass } from './ip-address';

// SSRF guard for tenant-supplied provider base URLs: the gateway will send the tenant's key
// and members' messages there, so the URL must not reach cloud metadata, link-local
// addresses, or (unless the operator allows it) the cluster's own private network or loopback.

export interface BaseUrlPolicy {
  /** ALLOW_PRIVATE_BASE_URLS: 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7. */
  allowPrivate: boolean;
  /** ALLOW_LOOPBACK_BASE_URLS: 127/8, ::1, localhost (local development only). */
  allowLoopback: boolean;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** A URL that passed the checks that need no DNS; `host` still has to be resolved unless it is an address. */
export interface ParsedBaseUrl {
  url: string;
  host: string;
  hostIsAddress: boolean;
  secure: boolean;
}

const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
]);

export function parseBaseUrl(raw: string, policy: BaseUrlPolicy): { ok: true; value: ParsedBaseUrl } | { ok: false; reason: string } {
  if (!URL.canParse(raw)) return refuse('base URL is not an absolute URL');
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse('base URL must use http or https');
  if (url.username || url.password) return refuse('base URL must not contain credentials');
  if (url.search || url.hash) return refuse('base URL must not contain a query or fragment');
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (!host) return refuse('base URL has no host');
  if (METADATA_HOSTS.has(host)) return refuse(reasonFor('metadata'));
  const hostIsAddress = isIP(host) !== 0;
  const secure = url.protocol === 'https:';
  const named = hostIsAddress ? classifyAddress(host) : isLocalhostName(host) ? 'loopback' : null;
  if (named !== null) {
    const verdict = checkAddressClasses([named], secure, policy);
    if (!verdict.ok) return verdict;
  }
  return { ok: true, value: { url: url.toString().replace(/\/$/, ''), host, hostIsAddress: hostIsAddress || named !== null, secure } };
}

/** Every address the host resolves to must be allowed (one bad answer refuses the URL). */
export function checkResolvedAddresses(addresses: readonly string[], secure: boolean, policy: BaseUrlPolicy): Verdict {
  if (addresses.length === 0) return refuse('base URL host does not resolve');
  return checkAddressClasses(addresses.map(classifyAddress), secure, policy);
}

function checkAddressClasses(classes: readonly AddressClass[], secure: boolean, policy: BaseUrlPolicy): Verdict {
  for (const cls of classes) {
    const allowed =
      cls === 'public' || (cls === 'private' && policy.allowPrivate) || (cls === 'loopback' && policy.allowLoopback);
    if (!allowed) return refuse(reasonFor(cls));
  }
  // A key sent in clear over the internet is a leaked key; plain http only stays inside.
  if (!secure && classes.some((cls) => cls === 'public')) return refuse('base URL must use https for a public host');
  return { ok: true };
}

function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

function reasonFor(cls: AddressClass): string {
  switch (cls) {
    case 'metadata':
      return 'base URL points to a cloud metadata endpoint';
    case 'link-local':
      return 'base URL points to a link-local address';
    case 'loopback':
      return 'base URL points to loopback (allowed only when ALLOW_LOOPBACK_BASE_URLS=true)';
    case 'private':
      return 'base URL points to a private network address (allowed only when ALLOW_PRIVATE_BASE_URLS=true)';
    case 'unspecified':
      return 'base URL points to an unspecified address';
    case 'multicast':
      return 'base URL points to a multicast address';
    case 'reserved':
      return 'base URL points to a reserved address';
    case 'public':
      return 'base URL is allowed';
    default:
      return assertNever(cls);
  }
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function assertNever(value: never): never {
  throw new Error(`unhandled address class: ${String(value)}`);
}
