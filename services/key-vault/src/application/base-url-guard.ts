import { ValidationError } from '@enclave/platform';
import { checkResolvedAddresses, parseBaseUrl, type BaseUrlPolicy } from '../domain/ssrf/base-url-policy';
import type { HostResolver } from './ports';

/**
 * Checks a tenant-supplied base URL before it is stored: the URL itself (scheme, credentials,
 * metadata hosts, address literals) and then every address its host name resolves to. The
 * caller of the URL must check again at connect time (DNS may change); this stops the obvious.
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
}
