import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { checkResolvedAddresses, type BaseUrlPolicy } from './base-url-policy';

// Outgoing connections to URLs somebody else chose (a tenant's provider base URL) resolve their
// host here, and every new socket re-checks the answer against the URL policy before it connects:
// a name that resolved to a public address when the URL was stored cannot later be pointed at a
// private, loopback, link-local or metadata address (DNS rebinding). Resolutions are reused for a
// short while so a burst of new connections does not mean a burst of DNS queries.

/** A socket refused because its host resolved to an address the policy does not allow. */
export class EgressRefusedError extends Error {
  readonly code = 'EGRESS_REFUSED';
  override readonly name = 'EgressRefusedError';
}

export type Resolve = (host: string) => Promise<string[]>;

export interface ResolutionCacheOptions {
  /** How long an answer is reused (default 30 s). */
  ttlMs?: number;
  /** How long a lookup may take (default 5 s). */
  timeoutMs?: number;
  /** The system resolver by default (what any HTTP client would use). */
  resolve?: Resolve;
  now?: () => number;
}

/** Host → addresses, kept for ttlMs; concurrent lookups of one host share one query. Failures are not kept. */
export class ResolutionCache {
  private readonly entries = new Map<string, { addresses: string[]; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<string[]>>();
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly resolve: Resolve;
  private readonly now: () => number;

  constructor(options: ResolutionCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.resolve = options.resolve ?? systemResolve;
    this.now = options.now ?? Date.now;
  }

  async addresses(host: string): Promise<string[]> {
    const entry = this.entries.get(host);
    if (entry && entry.expiresAt > this.now()) return entry.addresses;
    let query = this.pending.get(host);
    if (!query) {
      query = this.lookupWithDeadline(host).finally(() => this.pending.delete(host));
      this.pending.set(host, query);
    }
    const addresses = await query;
    if (addresses.length > 0) this.entries.set(host, { addresses, expiresAt: this.now() + this.ttlMs });
    return addresses;
  }

  private async lookupWithDeadline(host: string): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('host lookup timed out')), this.timeoutMs);
    });
    try {
      return await Promise.race([this.resolve(host), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function systemResolve(host: string): Promise<string[]> {
  const answers = await dnsLookup(host, { all: true, verbatim: true });
  return answers.map((a) => a.address);
}

/**
 * A `lookup` for http(s) agents and sockets: resolves through the cache, then refuses (with
 * EgressRefusedError) unless every address is allowed by the policy, for this scheme (plain http
 * only to an allowed private or loopback address). Node then connects to one of these addresses
 * while TLS still verifies, and SNI still names, the URL's host.
 */
export function guardedLookup(cache: ResolutionCache, policy: BaseUrlPolicy, secure: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const host = hostname.replace(/^\[|\]$/g, '');
    const answer = isIP(host) !== 0 ? Promise.resolve([host]) : cache.addresses(host);
    answer.then(
      (addresses) => {
        const verdict = checkResolvedAddresses(addresses, secure, policy);
        if (!verdict.ok) return callback(new EgressRefusedError(verdict.reason), options.all ? [] : '', 0);
        let entries: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) }));
        if (options.family === 4 || options.family === 6) entries = entries.filter((e) => e.family === options.family);
        if (entries.length === 0) return callback(new EgressRefusedError('host has no address of the requested family'), options.all ? [] : '', 0);
        if (options.all) callback(null, entries);
        else callback(null, entries[0]!.address, entries[0]!.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error('host lookup failed'), options.all ? [] : '', 0),
    );
  };
}
