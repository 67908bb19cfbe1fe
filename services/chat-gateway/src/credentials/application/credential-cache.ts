import type { CredentialSource, ProviderClientFactory, ProviderHandle } from './ports';
import type { Clock } from '../../shared/clock';
import { CoalescingLoader } from '../../shared/coalescing-loader';
import { LruTtlCache } from '../../shared/lru-ttl-cache';

export { NoProviderKeyError, type CredentialSource, type ProviderClientFactory, type ProviderCredential, type ProviderHandle } from './ports';

export interface CredentialCacheOptions {
  maxEntries: number;
  /** CREDENTIAL_CACHE_TTL_MS: how long a decrypted key may live in memory (default 5 min). */
  ttlMs: number;
  clock: Clock;
}

/**
 * Decrypted credentials, briefly, in memory: one key-vault call (an audited decryption) per
 * tenant per ttl instead of one per chat, and concurrent misses share that call. Each entry
 * holds one provider endpoint built for the credential's key version, reused by every chat (keep-alive
 * connections to the provider). Dropped when key-vault reports a new key (ProviderKeyStored) or
 * the provider rejects the key, so a rotation applies on the next chat.
 */
export class CredentialCache {
  private readonly loader: CoalescingLoader<string, ProviderHandle>;

  constructor(
    private readonly source: CredentialSource,
    private readonly createClient: ProviderClientFactory,
    options: CredentialCacheOptions,
  ) {
    this.loader = new CoalescingLoader(new LruTtlCache(options));
  }

  get(tenantId: string): Promise<ProviderHandle> {
    return this.loader.get(tenantId, async (id) => {
      const credential = await this.source.fetch(id);
      return {
        keyId: credential.keyId,
        keyVersion: credential.keyVersion,
        provider: credential.provider,
        client: this.createClient(credential),
      };
    });
  }

  invalidate(tenantId: string): void {
    this.loader.invalidate(tenantId);
  }
}
