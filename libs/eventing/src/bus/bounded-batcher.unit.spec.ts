// Does the bounded batcher send one batch at a time (full or after the linger), settle each caller
// with its own batch, refuse at once past its bound (never dropping or queueing), and flush on close?
import { BoundedBatcher, PublisherClosedError, PublisherSaturatedError } from './bounded-batcher';

interface Call {
  batch: string[];
  settle: (error?: Error) => void;
}

/** A send whose batches stay in flight until the test settles them. */
function manualSend() {
  const calls: Call[] = [];
  const send = (batch: readonly string[]) =>
    new Promise<void>((resolve, reject) => calls.push({ batch: [...batch], settle: (error) => (error ? reject(error) : resolve()) }));
  return { calls, send };
}

function outcome(promise: Promise<void>) {
  const seen: { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { state: 'pending' };
  promise.then(() => (seen.state = 'resolved'), (error: unknown) => Object.assign(seen, { state: 'rejected', error }));
  return seen;
}

const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

afterEach(() => jest.useRealTimers());

describe('BoundedBatcher', () => {
  it('sends a partial batch once the linger period ends, not before', async () => {
    jest.useFakeTimers();
    const { calls, send } = manualSend();
    const batcher = new BoundedBatcher({ send, maxBatch: 10, lingerMs: 5, maxPending: 100, retryAfterSec: 1 });
    void batcher.submit('a');
    void batcher.submit('b');
    await jest.advanceTimersByTimeAsync(4);
    expect(calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.batch)).toEqual([['a', 'b']]);
  });

  it('with no linger, sends what arrived in the same event-loop turn as one batch at the end of that turn', async () => {
    const { calls, send } = manualSend();
    const batcher = new BoundedBatcher({ send, maxBatch: 10, lingerMs: 0, maxPending: 100, retryAfterSec: 1 });
    void batcher.submit('a');
    void batcher.submit('b');
    expect(calls).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((c) => c.batch)).toEqual([['a', 'b']]);
  });

  it('sends a full batch at once, and resolves callers only when their batch is acknowledged', async () => {
    const { calls, send } = manualSend();
    const batcher = new BoundedBatcher({ send, maxBatch: 2, lingerMs: 60_000, maxPending: 100, retryAfterSec: 1 });
    const a = outcome(batcher.submit('a'));
    const b = outcome(batcher.submit('b'));
    expect(calls.map((c) => c.batch)).toEqual([['a', 'b']]);
    await flushMicrotasks();
    expect([a.state, b.state]).toEqual(['pending', 'pending']);
    calls[0]!.settle();
    await flushMicrotasks();
    expect([a.state, b.state]).toEqual(['resolved', 'resolved']);
  });

  it('keeps one batch in flight; what arrives meanwhile goes out, in order, right after it', async () => {
    const { calls, send } = manualSend();
    const batcher = new BoundedBatcher({ send, maxBatch: 2, lingerMs: 60_000, maxPending: 100, retryAfterSec: 1 });
    for (const item of ['a', 'b', 'c', 'd', 'e']) void batcher.submit(item);
    expect(calls.map((c) => c.batch)).toEqual([['a', 'b']]);
    calls[0]!.settle();
    await flushMicrotasks();
    expect(calls.map((c) => c.batch)).toEqual([['a', 'b'], ['c', 'd']]);
    calls[1]!.settle();
    await flushMicrotasks();
    expect(calls.map((c) => c.batch)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('rejects exactly the callers of a failed batch, and later batches still get their chance', async () => {
    const { calls, send } = manualSend();
    const batcher = new BoundedBatcher({ send, maxBatch: 2, lingerMs: 60_000, maxPending: 100, retryAfterSec: 1 });
    const first = [outcome(batcher.submit('a')), outcome(batcher.submit('b'))];
    const second = [outcome(batcher.submit('c')), outcome(batcher.submit('d'))];
    calls[0]!.settle(new Error('broker down'));
    await flushMicrotasks();
    calls[1]!.settle();
    await flushMicrotasks();
    expect(first.map((o) => o.state)).toEqual(['rejected', 'rejected']);
    expect((first[0]!.error as Error).message).toBe('broker down');
    expect(second.map((o) => o.state)).toEqual(['resolved', 'resolved']);
  });

  it('past maxPending (waiting + in flight) refuses at once with a retry-after, queueing nothing', async () => {
    const { calls, send } = manualSend();
    const batcher = new BoundedBatcher({ send, maxBatch: 2, lingerMs: 60_000, maxPending: 3, retryAfterSec: 7 });
    void batcher.submit('a');
    void batcher.submit('b'); // in flight
    void batcher.submit('c'); // waiting
    expect(batcher.pending).toBe(3);
    expect(batcher.refusal()).toBeInstanceOf(PublisherSaturatedError);
    const refused = outcome(batcher.submit('d'));
    await flushMicrotasks();
    expect(refused.state).toBe('rejected');
    expect(refused.error).toBeInstanceOf(PublisherSaturatedError);
    expect((refused.error as PublisherSaturatedError).retryAfterSec).toBe(7);
    expect(batcher.pending).toBe(3);

    calls[0]!.settle();
    await flushMicrotasks();
    expect(batcher.refusal()).toBeUndefined();
    expect(calls.map((c) => c.batch)).toEqual([['a', 'b'], ['c']]);
  });

  it('stays busy for retryAfterSec after a failed batch, then admits work again', async () => {
    let nowMs = 1_000;
    const { calls, send } = manualSend();
    const batcher = new BoundedBatcher({ send, maxBatch: 1, lingerMs: 1, maxPending: 10, retryAfterSec: 2, now: () => nowMs });
    void batcher.submit('a').catch(() => undefined);
    calls[0]!.settle(new Error('no leader'));
    await flushMicrotasks();
    expect(batcher.refusal()?.retryAfterSec).toBe(2);
    nowMs += 2_000;
    expect(batcher.refusal()).toBeUndefined();
  });

  it('flushes everything on close without waiting for the linger, then refuses new items', async () => {
    jest.useFakeTimers();
    const sent: string[][] = [];
    const batcher = new BoundedBatcher<string>({ send: async (batch) => void sent.push([...batch]), maxBatch: 2, lingerMs: 60_000, maxPending: 10, retryAfterSec: 1 });
    const all = ['a', 'b', 'c'].map((item) => batcher.submit(item));
    await batcher.close();
    await Promise.all(all);
    expect(sent).toEqual([['a', 'b'], ['c']]);
    expect(batcher.pending).toBe(0);
    await expect(batcher.submit('late')).rejects.toBeInstanceOf(PublisherClosedError);
  });

  it('turns a send that throws synchronously into rejected callers', async () => {
    const batcher = new BoundedBatcher<string>({
      send: () => {
        throw new Error('bad batch');
      },
      maxBatch: 1, lingerMs: 1, maxPending: 10, retryAfterSec: 1,
    });
    await expect(batcher.submit('a')).rejects.toThrow('bad batch');
    expect(batcher.pending).toBe(0);
  });
});
