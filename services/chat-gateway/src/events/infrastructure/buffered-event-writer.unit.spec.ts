// Does the usage writer batch events per tenant, flush on size, time and close, and keep failed events?
import type { NewEvent } from '@enclave/eventing';
import { tenantId } from '@enclave/eventing';
import { createLogger } from '@enclave/platform';
import { BufferedEventWriter, type EventAppender } from './buffered-event-writer';

const logger = createLogger({ service: 'test', level: 'silent' });

function event(tenant: string, n: number): NewEvent {
  return { type: `chat-gateway.Test${n}`, tenantId: tenantId(tenant), actor: { kind: 1, id: 's', role: 'member' }, payload: new Uint8Array([n]) };
}

function fakeStore() {
  const appends: Array<{ streamId: string; expectedVersion: number; types: string[] }> = [];
  let failuresLeft = 0;
  const store: EventAppender = {
    async append(streamId, expectedVersion, events) {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('store down');
      }
      appends.push({ streamId, expectedVersion, types: events.map((e) => e.type) });
    },
  };
  return { store, appends, failNext: (n: number) => void (failuresLeft = n) };
}

let seq = 0;
const newStreamId = () => `chat-facts-${++seq}`;

afterEach(() => jest.useRealTimers());

describe('BufferedEventWriter', () => {
  it('given events of two tenants, when flushed, then one append per tenant at version 0', async () => {
    const { store, appends } = fakeStore();
    const writer = new BufferedEventWriter({ store, logger, newStreamId });
    writer.record(event('t1', 1));
    writer.record(event('t2', 2));
    writer.record(event('t1', 3));
    await writer.flush();
    expect(appends).toHaveLength(2);
    expect(appends.map((a) => a.expectedVersion)).toEqual([0, 0]);
    expect(appends.map((a) => a.types).sort()).toEqual([['chat-gateway.Test1', 'chat-gateway.Test3'], ['chat-gateway.Test2']]);
    expect(new Set(appends.map((a) => a.streamId)).size).toBe(2);
    await writer.close();
  });

  it('flushes by itself after the interval', async () => {
    jest.useFakeTimers();
    const { store, appends } = fakeStore();
    const onAppended = jest.fn();
    const writer = new BufferedEventWriter({ store, logger, newStreamId, flushIntervalMs: 50, onAppended });
    writer.record(event('t1', 1));
    expect(appends).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(50);
    expect(appends).toHaveLength(1);
    expect(onAppended).toHaveBeenCalledTimes(1);
    await writer.close();
  });

  it('flushes at once when the batch is full', async () => {
    jest.useFakeTimers();
    const { store, appends } = fakeStore();
    const writer = new BufferedEventWriter({ store, logger, newStreamId, flushIntervalMs: 10_000, maxBatch: 3 });
    for (let i = 0; i < 3; i += 1) writer.record(event('t1', i));
    await jest.advanceTimersByTimeAsync(0);
    expect(appends).toHaveLength(1);
    expect(appends[0]!.types).toHaveLength(3);
    await writer.close();
  });

  it('puts events back when the store fails and writes them on a later flush', async () => {
    const { store, appends, failNext } = fakeStore();
    const writer = new BufferedEventWriter({ store, logger, newStreamId });
    failNext(1);
    writer.record(event('t1', 1));
    await writer.flush();
    expect(appends).toHaveLength(0);
    expect(writer.pending).toBe(1);
    await writer.flush();
    expect(appends).toHaveLength(1);
    expect(writer.pending).toBe(0);
    await writer.close();
  });

  it('close() writes what is left, retrying a failing store', async () => {
    const { store, appends, failNext } = fakeStore();
    const writer = new BufferedEventWriter({ store, logger, newStreamId, flushIntervalMs: 60_000 });
    writer.record(event('t1', 1));
    failNext(1);
    await writer.close();
    expect(appends).toHaveLength(1);
    expect(writer.pending).toBe(0);
  });

  it('drops the oldest events beyond maxBuffered', async () => {
    const { store, appends, failNext } = fakeStore();
    const writer = new BufferedEventWriter({ store, logger, newStreamId, maxBuffered: 2, flushIntervalMs: 60_000 });
    failNext(100);
    writer.record(event('t1', 1));
    writer.record(event('t1', 2));
    writer.record(event('t1', 3));
    expect(writer.pending).toBe(2);
    failNext(0);
    await writer.close();
    expect(appends[0]!.types).toEqual(['chat-gateway.Test2', 'chat-gateway.Test3']);
  });
});
