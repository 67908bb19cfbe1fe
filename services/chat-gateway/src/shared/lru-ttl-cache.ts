import type { Clock } from './clock';

export interface LruTtlCacheOptions {
  /** Upper bound on entries; the least recently used one is evicted beyond it. */
  maxEntries: number;
  /** Default lifetime of an entry. */
  ttlMs: number;
  clock: Clock;
}

interface Entry<V> {
  value: V;
  expiresAtMs: number;
}

/**
 * A bounded in-memory cache with per-entry expiry. A Map keeps insertion order, so deleting and
 * re-inserting on every hit makes its first key the least recently used one: O(1) get, set and
 * eviction without a linked list. Expired entries are dropped lazily when read.
 */
export class LruTtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(private readonly options: LruTtlCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer');
    }
    if (!(options.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAtMs <= this.options.clock()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, ttlMs: number = this.options.ttlMs): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAtMs: this.options.clock() + ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
