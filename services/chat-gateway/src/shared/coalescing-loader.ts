import type { LruTtlCache } from './lru-ttl-cache';

/**
 * Read-through over an LruTtlCache with ONE in-flight load per key: concurrent misses for the
 * same tenant share a single remote call instead of stampeding the peer (key-vault, tenant).
 *
 * put()/invalidate() stamp the key; a load that started before the stamp still answers its
 * waiters but does not write its (possibly stale) result into the cache, and later callers do
 * not join it. Stamps are kept only while a load of that key is running.
 */
export class CoalescingLoader<K, V> {
  private readonly inFlight = new Map<K, { startedAt: number; promise: Promise<V> }>();
  private readonly running = new Map<K, number>();
  private readonly changedAt = new Map<K, number>();
  private stamp = 0;

  constructor(private readonly cache: LruTtlCache<K, V>) {}

  /** The cached value, or the result of one shared load (a failed load caches nothing). */
  get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const hit = this.cache.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const current = this.inFlight.get(key);
    if (current && current.startedAt > (this.changedAt.get(key) ?? 0)) return current.promise;

    const startedAt = ++this.stamp;
    this.running.set(key, (this.running.get(key) ?? 0) + 1);
    const promise = (async () => {
      const value = await load(key);
      if ((this.changedAt.get(key) ?? 0) < startedAt) this.cache.set(key, value);
      return value;
    })();
    this.inFlight.set(key, { startedAt, promise });
    const cleanUp = () => this.finished(key, promise);
    promise.then(cleanUp, cleanUp);
    return promise;
  }

  /** The cached value without loading. */
  peek(key: K): V | undefined {
    return this.cache.get(key);
  }

  /** Replaces the value (e.g. from an event carrying the full new state). */
  put(key: K, value: V): void {
    this.markChanged(key);
    this.cache.set(key, value);
  }

  /** Drops the value; a load already running will not write its result back. */
  invalidate(key: K): void {
    this.markChanged(key);
    this.cache.delete(key);
  }

  private markChanged(key: K): void {
    if (this.running.has(key)) this.changedAt.set(key, ++this.stamp);
  }

  private finished(key: K, promise: Promise<V>): void {
    if (this.inFlight.get(key)?.promise === promise) this.inFlight.delete(key);
    const left = (this.running.get(key) ?? 1) - 1;
    if (left > 0) {
      this.running.set(key, left);
    } else {
      this.running.delete(key);
      this.changedAt.delete(key);
    }
  }
}
