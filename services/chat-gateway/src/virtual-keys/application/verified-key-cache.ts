import type { Clock } from '../../shared/clock';
import type { VerifiedKey, VirtualKeyLookup } from './ports';

export type { VerifiedKey, VirtualKeyLookup } from './ports';

export interface VerifiedKeyCacheOptions {
  /** VIRTUAL_KEY_CACHE_TTL_MS: a revocation whose event was missed still applies after this. */
  ttlMs: number;
  maxEntries: number;
  /** Unknown hashes are remembered this long, so a client retrying a bad key costs no lookup. */
  negativeTtlMs?: number;
  clock: Clock;
}

interface Entry {
  key: VerifiedKey | undefined;
  expiresAtMs: number;
}

/**
 * hash → verified key, in memory: a warm API request needs no database call for its key. A miss
 * is one _id lookup shared by concurrent requests with the same key. Entries expire after ttl;
 * revoke(keyId) (from VirtualKeyRevoked, consumed by every replica) drops the key at once and
 * keeps refusing it for a ttl, so a lookup that raced the revocation cannot bring it back.
 * Unknown keys are cached negatively in a separate, smaller map, so garbage keys cannot evict
 * real ones. Eviction is oldest-inserted first (no recency bookkeeping on the hot path).
 */
export class VerifiedKeyCache {
  private readonly known = new Map<string, Entry>();
  private readonly unknown = new Map<string, number>();
  private readonly hashByKeyId = new Map<string, string>();
  private readonly revokedUntil = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<VerifiedKey | undefined>>();
  private readonly negativeTtlMs: number;

  constructor(
    private readonly lookup: VirtualKeyLookup,
    private readonly options: VerifiedKeyCacheOptions,
  ) {
    this.negativeTtlMs = options.negativeTtlMs ?? Math.min(options.ttlMs, 30_000);
  }

  /** Synchronous hit: the key, null when known to be invalid, undefined when not cached. */
  peek(hash: string): VerifiedKey | null | undefined {
    const now = this.options.clock();
    const entry = this.known.get(hash);
    if (entry !== undefined) {
      if (entry.expiresAtMs > now) return entry.key ?? null;
      this.drop(hash, entry.key);
    }
    const unknownUntil = this.unknown.get(hash);
    if (unknownUntil !== undefined) {
      if (unknownUntil > now) return null;
      this.unknown.delete(hash);
    }
    return undefined;
  }

  /** The verified key, or undefined when the key does not exist or was revoked. */
  async resolve(hash: string): Promise<VerifiedKey | undefined> {
    const hit = this.peek(hash);
    if (hit !== undefined) return hit ?? undefined;
    const running = this.inFlight.get(hash);
    if (running) return running;
    const load = this.load(hash).finally(() => this.inFlight.delete(hash));
    this.inFlight.set(hash, load);
    return load;
  }

  /** VirtualKeyRevoked: drop the key now and refuse any stale copy for a ttl. */
  revoke(keyId: string): void {
    const now = this.options.clock();
    this.revokedUntil.set(keyId, now + this.options.ttlMs);
    this.trim(this.revokedUntil, now);
    const hash = this.hashByKeyId.get(keyId);
    if (hash !== undefined) {
      this.known.delete(hash);
      this.hashByKeyId.delete(keyId);
    }
  }

  get size(): number {
    return this.known.size;
  }

  private async load(hash: string): Promise<VerifiedKey | undefined> {
    const found = await this.lookup.findActiveByHash(hash);
    const now = this.options.clock();
    if (found && (this.revokedUntil.get(found.keyId) ?? 0) > now) return undefined;
    if (!found) {
      this.unknown.set(hash, now + this.negativeTtlMs);
      this.trim(this.unknown, now);
      return undefined;
    }
    this.known.set(hash, { key: found, expiresAtMs: now + this.options.ttlMs });
    this.hashByKeyId.set(found.keyId, hash);
    while (this.known.size > this.options.maxEntries) {
      const oldest = this.known.entries().next().value;
      if (!oldest) break;
      this.drop(oldest[0], oldest[1].key);
    }
    return found;
  }

  private drop(hash: string, key: VerifiedKey | undefined): void {
    this.known.delete(hash);
    if (key && this.hashByKeyId.get(key.keyId) === hash) this.hashByKeyId.delete(key.keyId);
  }

  /** Keeps a side map within maxEntries: expired entries first, then the oldest. */
  private trim(map: Map<string, number>, now: number): void {
    if (map.size <= this.options.maxEntries) return;
    for (const [k, until] of map) if (until <= now) map.delete(k);
    while (map.size > this.options.maxEntries) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }
}
