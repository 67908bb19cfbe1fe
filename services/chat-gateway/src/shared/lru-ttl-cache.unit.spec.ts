// Does the credential/settings cache expire entries on time and evict the least recently used?
import { LruTtlCache } from './lru-ttl-cache';

function cacheWithClock(maxEntries = 3, ttlMs = 1000) {
  let now = 10_000;
  const cache = new LruTtlCache<string, number>({ maxEntries, ttlMs, clock: () => now });
  return { cache, advance: (ms: number) => void (now += ms) };
}

describe('LruTtlCache', () => {
  it('returns a value until its ttl has passed, then forgets it', () => {
    const { cache, advance } = cacheWithClock();
    cache.set('a', 1);
    advance(999);
    expect(cache.get('a')).toBe(1);
    advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('honours a per-entry ttl', () => {
    const { cache, advance } = cacheWithClock();
    cache.set('short', 1, 10);
    cache.set('long', 2);
    advance(10);
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('long')).toBe(2);
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const { cache } = cacheWithClock(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now more recent than b
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('re-setting a key refreshes its ttl and recency', () => {
    const { cache, advance } = cacheWithClock(2);
    cache.set('a', 1);
    advance(900);
    cache.set('a', 5);
    advance(900);
    expect(cache.get('a')).toBe(5);
  });

  it('deletes and clears', () => {
    const { cache } = cacheWithClock();
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.delete('a')).toBe(true);
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('refuses nonsense bounds', () => {
    expect(() => new LruTtlCache({ maxEntries: 0, ttlMs: 1, clock: () => 0 })).toThrow(RangeError);
    expect(() => new LruTtlCache({ maxEntries: 1, ttlMs: 0, clock: () => 0 })).toThrow(RangeError);
  });
});
