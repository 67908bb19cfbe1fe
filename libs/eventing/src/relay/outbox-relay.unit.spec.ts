// Does the relay send decided claims in seq order and record only what Kafka acknowledged, keep
// retrying with a fresh producer after a failed send, wait on an undecided claim or a gap only up
// to the store's claim timeout, and drain before stop() returns?
import type { Kafka, Producer, ProducerBatch } from 'kafkajs';
import { eventsV1 } from '@enclave/proto';
import type { EventStore } from '../store/event-store';
import type { OutboxClaim } from '../store/outbox';
import type { StoredEvent } from '../store/stored-event';
import { tenantId } from '../tenancy/tenant-id';
import { InterruptibleSleep } from '../support/interruptible-sleep';
import { envelopeOf, OutboxRelay } from './outbox-relay';

const waitUntil = (done: () => boolean) =>
  new Promise<void>((resolve) => {
    const check = () => (done() ? resolve() : setTimeout(check, 1));
    check();
  });

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
  seq: n,
  appendEnd: n,
});

const claim = (n: number, ok: boolean | 'undecided' = true): OutboxClaim => ({ seq: n, end: n, events: [stored(n)], ok: ok === 'undecided' ? undefined : ok });

/** The store's outbox as the relay uses it, in memory. */
function fakeStore(claims: OutboxClaim[], claimTimeoutMs = 1000) {
  const marked: number[][] = [];
  const outbox = { position: 0, claims: [...claims] };
  const resolved: number[] = [];
  const store = {
    claimTimeoutMs,
    outboxView: async () => ({ position: outbox.position, claims: outbox.claims.map((c) => ({ ...c })), orphans: [] }),
    advanceOutbox: async (position: number, cleared: readonly number[]) => {
      outbox.position = Math.max(outbox.position, position);
      if (cleared.length) marked.push([...cleared]);
      outbox.claims = outbox.claims.filter((c) => !cleared.includes(c.seq));
    },
    resolveClaim: async (c: OutboxClaim) => {
      resolved.push(c.seq);
      const open = outbox.claims.find((o) => o.seq === c.seq)!;
      open.ok ??= false;
      return open.ok;
    },
  } as unknown as EventStore;
  return { store, marked, outbox, resolved };
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
  it('sends in store order with acks=all, key = tenant, and records what was sent', async () => {
    const { store, marked, outbox } = fakeStore([claim(1), claim(2), claim(3)]);
    const { kafka, sent } = fakeKafka(0);
    const relay = new OutboxRelay({ kafka, store, topic: 'enclave.test.events.v1', batchSize: 2, logger: quiet });
    expect(await relay.publishOnce()).toBe(3);
    expect(await relay.publishOnce()).toBe(0);
    expect(sent.map((b) => b.acks)).toEqual([-1, -1]);
    expect(sent.flatMap((b) => b.topicMessages![0]!.messages.map((m) => [m.key, (m.headers as Record<string, string>)['event-type']]))).toEqual([
      ['tenant-a', 'test.E1'],
      ['tenant-a', 'test.E2'],
      ['tenant-a', 'test.E3'],
    ]);
    expect(sent.map((b) => b.topicMessages![0]!.messages.length)).toEqual([2, 1]); // sends of batchSize
    expect(marked).toEqual([[1, 2, 3]]); // recorded once, after both sends were acknowledged
    expect(outbox.position).toBe(3);
  });

  it('routes events to topics chosen per event', async () => {
    const { store } = fakeStore([claim(1), claim(2)]);
    const { kafka, sent } = fakeKafka(0);
    const relay = new OutboxRelay({ kafka, store, topic: (e) => (e.version === 1 ? 'a' : 'b'), logger: quiet });
    await relay.publishOnce();
    expect(sent[0]!.topicMessages!.map((t) => [t.topic, t.messages.length])).toEqual([['a', 1], ['b', 1]]);
  });

  it('never records events whose send failed, and retries with a fresh producer until it succeeds', async () => {
    const { store, marked } = fakeStore([claim(1)]);
    const { kafka, sent, counts } = fakeKafka(2);
    const relay = new OutboxRelay({ kafka, store, topic: 't', backoff: fast, pollIntervalMs: 5, logger: quiet });
    await relay.start();
    await new Promise<void>((resolve) => {
      const check = () => (marked.length > 0 ? resolve() : setTimeout(check, 1));
      check();
    });
    await relay.stop();
    expect(marked).toEqual([[1]]);
    expect(sent).toHaveLength(1);
    expect(counts().producersMade).toBe(3); // one per failure, then the one that worked
    expect(counts().disconnects).toBe(3);
  });

  it('polls an idle outbox ever less often, up to maxIdlePollIntervalMs, and at the base pace again once it finds events', async () => {
    const { store, outbox } = fakeStore([]);
    const { kafka, sent } = fakeKafka(0);
    const waits: number[] = [];
    let relay: OutboxRelay | undefined;
    const sleeper = new (class extends InterruptibleSleep {
      override sleep(ms: number): Promise<void> {
        waits.push(ms);
        if (waits.length === 5) outbox.claims.push(claim(1)); // another process appends meanwhile
        if (waits.length === 8) void relay!.stop();
        return new Promise((resolve) => setImmediate(resolve));
      }
    })();
    relay = new OutboxRelay({ kafka, store, topic: 't', pollIntervalMs: 100, maxIdlePollIntervalMs: 500, sleeper, logger: quiet });
    await relay.start();
    await waitUntil(() => waits.length >= 8);
    await relay.stop();
    expect(sent).toHaveLength(1);
    expect(waits.slice(0, 8)).toEqual([100, 200, 400, 500, 500, 100, 200, 400]);
  });

  it('waits on an undecided claim, sending nothing after it, and decides it by looking once the claim timeout passed', async () => {
    const { store, outbox, resolved } = fakeStore([claim(1), claim(2, 'undecided'), claim(3)], 1000);
    const { kafka, sent } = fakeKafka(0);
    let now = 0;
    const relay = new OutboxRelay({ kafka, store, topic: 't', logger: quiet, now: () => now });
    expect(await relay.publishOnce()).toBe(1);
    now = 999;
    expect(await relay.publishOnce()).toBe(0);
    expect(resolved).toEqual([]);
    now = 1000;
    await relay.publishOnce();
    expect(resolved).toEqual([2]); // nothing in the store: decided not ok, skipped
    expect(await relay.publishOnce()).toBe(1);
    expect(sent.flatMap((b) => b.topicMessages![0]!.messages.map((m) => (m.headers as Record<string, string>)['event-type']))).toEqual(['test.E1', 'test.E3']);
    expect(outbox).toMatchObject({ position: 3, claims: [] });
    expect(await relay.caughtUp()).toBe(true);
  });

  it('sends a claim decided in time without resolving it', async () => {
    const { store, outbox, resolved } = fakeStore([claim(1, 'undecided')], 1000);
    const { kafka, sent } = fakeKafka(0);
    let now = 0;
    const relay = new OutboxRelay({ kafka, store, topic: 't', logger: quiet, now: () => now });
    expect(await relay.publishOnce()).toBe(0);
    expect(await relay.caughtUp()).toBe(false);
    outbox.claims[0]!.ok = true; // the appender recorded its events
    now = 500;
    expect(await relay.publishOnce()).toBe(1);
    expect(resolved).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('skips a gap in the numbers only after the claim timeout', async () => {
    const { store, outbox } = fakeStore([claim(3)], 1000);
    const { kafka, sent } = fakeKafka(0);
    let now = 0;
    const relay = new OutboxRelay({ kafka, store, topic: 't', logger: quiet, now: () => now });
    expect(await relay.publishOnce()).toBe(0);
    now = 999;
    expect(await relay.publishOnce()).toBe(0);
    now = 1001;
    expect(await relay.publishOnce()).toBe(0);
    expect(outbox.position).toBe(2);
    expect(await relay.publishOnce()).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it('builds the envelope from the stored event', () => {
    const env = envelopeOf(stored(4));
    expect(env).toMatchObject({ id: 'id-4', type: 'test.E4', tenantId: 'tenant-a', streamId: 's', streamVersion: 4, occurredAtMs: 1_700_000_000_004 });
    expect([...env.payload]).toEqual([4]);
  });
});
