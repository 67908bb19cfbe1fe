// Do concurrent cache misses share one remote load, and does invalidation beat a stale load?
import { CoalescingLoader } from './coalescing-loader';
import { LruTtlCache } from './lru-ttl-cache';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup() {
  let now = 0;
  const cache = new LruTtlCache<string, string>({ maxEntries: 10, ttlMs: 1000, clock: () => now });
  const loader = new CoalescingLoader(cache);
  const calls: string[] = [];
  const pending: Array<ReturnType<typeof deferred<string>>> = [];
  const load = (key: string) => {
    calls.push(key);
    const d = deferred<string>();
    pending.push(d);
    return d.promise;
  };
  return { loader, load, calls, pending, advance: (ms: number) => void (now += ms) };
}

describe('CoalescingLoader', () => {
  it('given concurrent misses for one key, when loaded, then one load answers all', async () => {
    const { loader, load, calls, pending } = setup();
    const a = loader.get('t1', load);
    const b = loader.get('t1', load);
    expect(calls).toEqual(['t1']);
    pending[0]!.resolve('v1');
    await expect(Promise.all([a, b])).resolves.toEqual(['v1', 'v1']);
    await expect(loader.get('t1', load)).resolves.toBe('v1');
    expect(calls).toHaveLength(1);
  });

  it('loads different keys independently', async () => {
    const { loader, load, calls, pending } = setup();
    void loader.get('t1', load);
    void loader.get('t2', load);
    expect(calls).toEqual(['t1', 't2']);
    pending.forEach((d) => d.resolve('x'));
  });

  it('caches nothing when the load fails, so the next call tries again', async () => {
    const { loader, load, calls, pending } = setup();
    const first = loader.get('t1', load);
    pending[0]!.reject(new Error('peer down'));
    await expect(first).rejects.toThrow('peer down');
    const second = loader.get('t1', load);
    expect(calls).toHaveLength(2);
    pending[1]!.resolve('v2');
    await expect(second).resolves.toBe('v2');
  });

  it('given a load in flight, when invalidated, then its stale result is not cached and new callers load afresh', async () => {
    const { loader, load, calls, pending } = setup();
    const stale = loader.get('t1', load);
    loader.invalidate('t1');
    const fresh = loader.get('t1', load);
    expect(calls).toHaveLength(2);
    pending[1]!.resolve('new');
    pending[0]!.resolve('old'); // the older load finishes last
    await expect(stale).resolves.toBe('old');
    await expect(fresh).resolves.toBe('new');
    expect(loader.peek('t1')).toBe('new');
  });

  it('given a put while a load runs, then the put wins over the load', async () => {
    const { loader, load, pending } = setup();
    const running = loader.get('t1', load);
    loader.put('t1', 'from-event');
    pending[0]!.resolve('from-peer');
    await running;
    expect(loader.peek('t1')).toBe('from-event');
  });

  it('expires cached values with the cache ttl', async () => {
    const { loader, load, calls, pending, advance } = setup();
    const first = loader.get('t1', load);
    pending[0]!.resolve('v1');
    await first;
    advance(1000);
    void loader.get('t1', load);
    expect(calls).toHaveLength(2);
    pending[1]!.resolve('v2');
  });
});
