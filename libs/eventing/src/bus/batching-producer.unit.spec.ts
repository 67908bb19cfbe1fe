// Does the batching producer send one batch per N messages or per linger period, in order,
// flush the rest on demand, and report a failed batch to exactly its own callers?
import type { Producer, ProducerBatch } from 'kafkajs';
import { BatchingProducer } from './batching-producer';

function fakeProducer(fail: (batch: ProducerBatch) => boolean = () => false) {
  const batches: Array<Array<[string, string]>> = [];
  const producer = {
    sendBatch: async (batch: ProducerBatch) => {
      if (fail(batch)) throw new Error('broker unavailable');
      batches.push(batch.topicMessages!.flatMap((t) => t.messages.map((m) => [t.topic, String(m.value)] as [string, string])));
      return [];
    },
  } as unknown as Producer;
  return { producer, batches };
}

describe('BatchingProducer', () => {
  afterEach(() => jest.useRealTimers());

  it('sends a full batch at once', async () => {
    const { producer, batches } = fakeProducer();
    const bp = new BatchingProducer({ producer, maxBatch: 3, lingerMs: 60_000 });
    await Promise.all(['a', 'b', 'c'].map((v) => bp.send('t1', { value: v })));
    expect(batches).toEqual([[['t1', 'a'], ['t1', 'b'], ['t1', 'c']]]);
  });

  it('sends a partial batch when the linger period ends', async () => {
    jest.useFakeTimers();
    const { producer, batches } = fakeProducer();
    const bp = new BatchingProducer({ producer, maxBatch: 100, lingerMs: 50 });
    const sent = Promise.all([bp.send('t1', { value: 'a' }), bp.send('t2', { value: 'b' })]);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(50);
    await sent;
    expect(batches).toEqual([[['t1', 'a'], ['t2', 'b']]]);
  });

  it('flush() sends what is buffered and keeps order across batches', async () => {
    const { producer, batches } = fakeProducer();
    const bp = new BatchingProducer({ producer, maxBatch: 2, lingerMs: 60_000 });
    const sends = ['1', '2', '3'].map((v) => bp.send('t', { value: v }));
    expect(bp.buffered).toBe(1);
    await bp.flush();
    await Promise.all(sends);
    expect(batches).toEqual([[['t', '1'], ['t', '2']], [['t', '3']]]);
    expect(bp.buffered).toBe(0);
  });

  it('rejects the callers of a failed batch only', async () => {
    const { producer, batches } = fakeProducer((b) => b.topicMessages![0]!.messages[0]!.value === 'bad');
    const bp = new BatchingProducer({ producer, maxBatch: 1, lingerMs: 60_000 });
    await expect(bp.send('t', { value: 'bad' })).rejects.toThrow('broker unavailable');
    await expect(bp.send('t', { value: 'good' })).resolves.toBeUndefined();
    expect(batches).toEqual([[['t', 'good']]]);
  });
});
