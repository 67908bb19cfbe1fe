import { isIP } from 'node:net';
import { checkResolvedAddresses, parseBaseUrl, ValidationError, type BaseUrlPolicy } from '@enclave/platform';
import type { HostResolver } from './ports';

export interface CheckedEndpoint {
  /** The normalised URL. */
  url: string;
  host: string;
  /** Every address the host resolved to, all allowed: connect to these and nothing else. */
  addresses: string[];
}

/**
 * Checks a tenant-supplied base URL: the URL itself (scheme, credentials, metadata hosts,
 * address literals) and then every address its host name resolves to. Run when the URL is
 * stored AND again right before each connection key-vault makes (DNS may have changed since),
 * which then connects only to the addresses checked here.
 */
export class BaseUrlGuard {
  constructor(
    private readonly policy: BaseUrlPolicy,
    private readonly resolver: HostResolver,
  ) {}

  /** The normalised URL, or ValidationError with the reason (never echoing the URL). */
  async check(raw: string): Promise<string> {
    const parsed = parseBaseUrl(raw, this.policy);
    if (!parsed.ok) throw new ValidationError(parsed.reason);
    if (parsed.value.hostIsAddress) return parsed.value.url;
    const verdict = checkResolvedAddresses(await this.resolver.lookup(parsed.value.host), parsed.value.secure, this.policy);
    if (!verdict.ok) throw new ValidationError(verdict.reason);
    return parsed.value.url;
  }

  /** Like check(), and also returns the allowed addresses to pin the connection to. */
  async resolve(raw: string): Promise<CheckedEndpoint> {
    const parsed = parseBaseUrl(raw, this.policy);
    if (!parsed.ok) throw new ValidationError(parsed.reason);
    const { url, host, secure } = parsed.value;
    if (isIP(host) !== 0) return { url, host, addresses: [host] };
    const addresses = await this.resolver.lookup(host);
    const verdict = checkResolvedAddresses(addresses, secure, this.policy);
    if (!verdict.ok) throw new ValidationError(verdict.reason);
    return { url, host, addresses };
  }
}
