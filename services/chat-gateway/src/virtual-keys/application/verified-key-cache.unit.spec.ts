// Does the per-replica key cache look each key up once, expire it, and keep revoked keys out?
import { VerifiedKeyCache, type VerifiedKey } from './verified-key-cache';

const key = (hash: string, keyId: string): VerifiedKey => ({ hash, tenantId: 't1', keyId, createdBy: 'admin-1', rateLimitPerMinute: 10, monthlyTokenLimit: null, allowedModels: [] });

function setup(ttlMs = 1000, maxEntries = 10) {
  let now = 0;
  const db = new Map<string, VerifiedKey>([['h1', key('h1', 'k1')], ['h2', key('h2', 'k2')]]);
  const lookups: string[] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const cache = new VerifiedKeyCache(
    {
      findActiveByHash: async (hash) => {
        lookups.push(hash);
        if (hold) await new Promise<void>((resolve) => (release = resolve));
        return db.get(hash);
      },
    },
    { ttlMs, maxEntries, negativeTtlMs: 100, clock: () => now },
  );
  return { cache, db, lookups, tick: (ms: number) => (now += ms), holdLookups: () => (hold = true), release: () => release?.() };
}

describe('VerifiedKeyCache', () => {
  it('shares one lookup between concurrent misses and answers later hits from memory', async () => {
    const { cache, lookups } = setup();
    const [a, b] = await Promise.all([cache.resolve('h1'), cache.resolve('h1')]);
    expect(a?.keyId).toBe('k1');
    expect(b).toBe(a);
    expect(cache.peek('h1')).toBe(a);
    expect(lookups).toEqual(['h1']);
  });

  it('looks a key up again after its ttl', async () => {
    const { cache, lookups, tick } = setup(1000);
    await cache.resolve('h1');
    tick(1000);
    expect(cache.peek('h1')).toBeUndefined();
    await cache.resolve('h1');
    expect(lookups).toEqual(['h1', 'h1']);
  });

  it('remembers unknown keys briefly, so a bad key costs one lookup per negative ttl', async () => {
    const { cache, lookups, tick } = setup();
    expect(await cache.resolve('nope')).toBeUndefined();
    expect(cache.peek('nope')).toBeNull();
    expect(await cache.resolve('nope')).toBeUndefined();
    tick(100);
    expect(await cache.resolve('nope')).toBeUndefined();
    expect(lookups).toEqual(['nope', 'nope']);
  });

  it('drops a revoked key at once and refuses it for a ttl even if a stale lookup returns it', async () => {
    const { cache, tick } = setup(1000);
    await cache.resolve('h1');
    cache.revoke('k1');
    expect(cache.peek('h1')).toBeUndefined();
    expect(await cache.resolve('h1')).toBeUndefined(); // the read model still says active
    tick(1000);
    expect((await cache.resolve('h1'))?.keyId).toBe('k1'); // after the ttl the read model is authoritative again
  });

  it('does not cache a key whose lookup raced its revocation', async () => {
    const { cache, holdLookups, release } = setup();
    holdLookups();
    const pending = cache.resolve('h2');
    await Promise.resolve();
    cache.revoke('k2');
    release();
    expect(await pending).toBeUndefined();
    expect(cache.peek('h2')).toBeUndefined();
  });

  it('keeps at most maxEntries keys, evicting the oldest', async () => {
    const { cache } = setup(1000, 1);
    await cache.resolve('h1');
    await cache.resolve('h2');
    expect(cache.size).toBe(1);
    expect(cache.peek('h1')).toBeUndefined();
    expect(cache.peek('h2')?.keyId).toBe('k2');
  });
});
