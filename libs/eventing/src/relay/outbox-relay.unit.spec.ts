// Does the relay send unpublished events in order and mark only what Kafka acknowledged, keep
// retrying with a fresh producer after a failed send, and drain before stop() returns?
import type { Kafka, Producer, ProducerBatch } from 'kafkajs';
import { eventsV1 } from '@enclave/proto';
import type { EventStore } from '../store/event-store';
import type { StoredEvent } from '../store/stored-event';
import { tenantId } from '../tenancy/tenant-id';
import { envelopeOf, OutboxRelay } from './outbox-relay';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const stored = (n: number): StoredEvent => ({
  id: `id-${n}`,
  streamId: 's',
  version: n,
  tenantId: tenantId('tenant-a'),
  type: `test.E${n}`,
  subjectId: '',
  actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SYSTEM, id: '', role: '' },
  occurredAt: new Date(1_700_000_000_000 + n),
  schemaVersion: 1,
  traceparent: '',
  tracestate: '',
  payload: Buffer.from([n]),
  published: false,
  seq: n,
  appendEnd: n,
});

function fakeStore(events: StoredEvent[]) {
  const marked: string[][] = [];
  const store = {
    init: async () => undefined,
    unpublished: async (limit: number) => events.filter((e) => !e.published).slice(0, limit),
    markPublished: async (ids: readonly string[]) => {
      marked.push([...ids]);
      for (const e of events) if (ids.includes(e.id)) e.published = true;
    },
  } as unknown as EventStore;
  return { store, marked };
}

function fakeKafka(failures: number) {
  const sent: ProducerBatch[] = [];
  let producersMade = 0;
  let disconnects = 0;
  let toFail = failures;
  const kafka = {
    producer: (config: Record<string, unknown>) => {
      producersMade++;
      expect(config).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });
      return {
        connect: async () => undefined,
        disconnect: async () => void disconnects++,
        sendBatch: async (batch: ProducerBatch) => {
          if (toFail-- > 0) throw new Error('broker not available');
          sent.push(batch);
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, sent, counts: () => ({ producersMade, disconnects }) };
}

const fast = { initialMs: 1, maxMs: 2, factor: 2, jitter: 0 };

describe('OutboxRelay', () => {
  it('sends in store order with acks=all, key = tenant, and marks what was sent', async () => {
    const { store, marked } = fakeStore([stored(1), stored(2), stored(3)]);
    const { kafka, sent } = fakeKafka(0);
    const relay = new OutboxRelay({ kafka, store, topic: 'enclave.test.events.v1', batchSize: 2, logger: quiet });
    expect(await relay.publishOnce()).toBe(2);
    expect(await relay.publishOnce()).toBe(1);
    expect(await relay.publishOnce()).toBe(0);
    expect(sent.map((b) => b.acks)).toEqual([-1, -1]);
    expect(sent.flatMap((b) => b.topicMessages![0]!.messages.map((m) => [m.key, (m.headers as Record<string, string>)['event-type']]))).toEqual([
      ['tenant-a', 'test.E1'],
      ['tenant-a', 'test.E2'],
      ['tenant-a', 'test.E3'],
    ]);
    expect(marked).toEqual([['id-1', 'id-2'], ['id-3']]);
  });

  it('routes events to topics chosen per event', async () => {
    const { store } = fakeStore([stored(1), stored(2)]);
    const { kafka, sent } = fakeKafka(0);
    const relay = new OutboxRelay({ kafka, store, topic: (e) => (e.version === 1 ? 'a' : 'b'), logger: quiet });
    await relay.publishOnce();
    expect(sent[0]!.topicMessages!.map((t) => [t.topic, t.messages.length])).toEqual([['a', 1], ['b', 1]]);
  });

  it('never marks events whose send failed, and retries with a fresh producer until it succeeds', async () => {
    const { store, marked } = fakeStore([stored(1)]);
    const { kafka, sent, counts } = fakeKafka(2);
    const relay = new OutboxRelay({ kafka, store, topic: 't', backoff: fast, pollIntervalMs: 5, logger: quiet });
    await relay.start();
    await new Promise<void>((resolve) => {
      const check = () => (marked.length > 0 ? resolve() : setTimeout(check, 1));
      check();
    });
    await relay.stop();
    expect(marked).toEqual([['id-1']]);
    expect(sent).toHaveLength(1);
    expect(counts().producersMade).toBe(3); // one per failure, then the one that worked
    expect(counts().disconnects).toBe(3);
  });

  it('builds the envelope from the stored event', () => {
    const env = envelopeOf(stored(4));
    expect(env).toMatchObject({ id: 'id-4', type: 'test.E4', tenantId: 'tenant-a', streamId: 's', streamVersion: 4, occurredAtMs: 1_700_000_000_004 });
    expect([...env.payload]).toEqual([4]);
  });
});
