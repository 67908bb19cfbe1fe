// Against real Kafka and FerretDB: does the relay keep store order across a restart (resuming
// from its position document, nothing lost, nothing re-sent), wait for a lower number whose
// append commits after a higher one was read, and decide an append whose writer died?
import { Kafka, logLevel, type Admin } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { loadInfraEnv, uniqueName, waitFor } from '@enclave/testing';
import { eventsV1 } from '@enclave/proto';
import { decodeEnvelope } from '../bus/envelope';
import { defineTopic } from '../bus/topic';
import { buildEventDocuments } from '../store/build-event-documents';
import { toDocument } from '../store/event-document-mapping';
import { EventStore } from '../store/event-store';
import { Outbox } from '../store/outbox';
import { decisionId } from '../store/outbox-schema';
import { tenantId } from '../tenancy/tenant-id';
import { OutboxRelay } from './outbox-relay';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const tenant = tenantId('tenant-order');
const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'svc', role: '' };
// The payload message of this test topic is an Actor (any ts-proto message would do).
const topic = defineTopic(uniqueName('t-order'), eventsV1.Actor);
const newEvent = (type: string) => ({ type, tenantId: tenant, actor, payload: topic.codec.encode(actor).finish() });

jest.setTimeout(90_000);
describe('OutboxRelay order (Kafka + FerretDB)', () => {
  const env = loadInfraEnv();
  const kafka = new Kafka({ clientId: uniqueName('evo'), brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
  const seen: string[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('order'), maxWaitTimeInMs: 200 });
  let connection: Connection;
  let admin: Admin;
  const relays: OutboxRelay[] = [];
  const relayFor = (store: EventStore) => {
    const relay = new OutboxRelay({ kafka, store, topic: topic.name, pollIntervalMs: 50, logger: quiet });
    relays.push(relay);
    return relay;
  };
  const types = async (store: EventStore, stream: string) => (await store.readStream(stream, { tenantId: tenant })).map((e) => e.type);

  beforeAll(async () => {
    connection = await mongoose.createConnection(env.mongoUrl, { dbName: uniqueName('evorder') }).asPromise();
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topic.name, numPartitions: 1 }] });
    await consumer.connect();
    await consumer.subscribe({ topic: topic.name, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(decodeEnvelope(topic, message.value).envelope.type) });
  });
  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    await consumer.disconnect();
    await admin?.disconnect();
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('resumes after a restart from its position: nothing lost, nothing re-sent, in order', async () => {
    const store = new EventStore(connection, { collection: uniqueName('restart') });
    const stream = uniqueName('s');
    await store.append(stream, 0, [newEvent('r.1'), newEvent('r.2')]);
    const first = relayFor(store);
    await first.start();
    first.nudge();
    await waitFor(() => first.caughtUp(), { timeoutMs: 30_000, description: 'the first relay to publish r.1 and r.2' });
    await first.stop();
    await store.append(stream, 2, [newEvent('r.3')]);
    await store.append(stream, 3, [newEvent('r.4')]);
    const position = (await store.outboxView(10)).position;
    expect(position).toBe(2);

    const second = relayFor(new EventStore(connection, { collection: store.collectionName }));
    await second.start();
    await waitFor(() => seen.filter((t) => t.startsWith('r.')).length >= 4 && second.caughtUp(), { timeoutMs: 30_000, description: 'r.3 and r.4' });
    await second.stop();
    expect(seen.filter((t) => t.startsWith('r.'))).toEqual(['r.1', 'r.2', 'r.3', 'r.4']);
    expect((await store.outboxView(10)).position).toBe(4);
  });

  it('waits for a lower number committed after a higher one was read, then sends both in order', async () => {
    const store = new EventStore(connection, { collection: uniqueName('gap'), claimTimeoutMs: 60_000 });
    await store.init();
    const outbox = new Outbox(connection.collection(`${store.collectionName}_outbox`));
    // A slow appender: it claimed the next number, but its events are not written yet.
    const slow = uniqueName('slow');
    const seq = (await outbox.head()) + 1;
    const docs = buildEventDocuments({ streamId: slow, expectedVersion: 0, events: [newEvent('g.low')] }, {
      ids: [uniqueName('id')], seq, occurredAt: new Date(), traceparent: '', tracestate: '',
    }).map(toDocument);
    expect(await outbox.claim(seq, docs)).toBe(true);
    // A fast appender takes the number after it and commits first.
    await store.append(uniqueName('fast'), 0, [newEvent('g.high')]);

    const relay = relayFor(store);
    await relay.publishOnce();
    await relay.publishOnce();
    expect(seen.filter((t) => t.startsWith('g.'))).toEqual([]);
    expect(await relay.caughtUp()).toBe(false);

    // The slow appender commits: its events, then its decision.
    await connection.collection(store.collectionName).insertMany(docs as never[]);
    expect(await outbox.decide(seq, seq, true)).toBe(true);
    await relay.publishOnce();
    await waitFor(() => seen.filter((t) => t.startsWith('g.')).length >= 2, { timeoutMs: 30_000, description: 'both events' });
    expect(seen.filter((t) => t.startsWith('g.'))).toEqual(['g.low', 'g.high']);
    expect(await types(store, slow)).toEqual(['g.low']);
  });

  it('decides the claim of an appender that died: sends it when its events are stored, skips it when not', async () => {
    const store = new EventStore(connection, { collection: uniqueName('dead'), claimTimeoutMs: 300 });
    await store.init();
    const outbox = new Outbox(connection.collection(`${store.collectionName}_outbox`));
    const claimOnly = async (type: string, writeEvents: boolean) => {
      const seq = (await outbox.head()) + 1;
      const docs = buildEventDocuments({ streamId: uniqueName('d'), expectedVersion: 0, events: [newEvent(type)] }, {
        ids: [uniqueName('id')], seq, occurredAt: new Date(), traceparent: '', tracestate: '',
      }).map(toDocument);
      await outbox.claim(seq, docs);
      if (writeEvents) await connection.collection(store.collectionName).insertMany(docs as never[]);
      return seq;
    };
    const diedAfterEvents = await claimOnly('d.stored', true);
    const diedBeforeEvents = await claimOnly('d.never', false);
    await store.append(uniqueName('d'), 0, [newEvent('d.after')]);

    const relay = relayFor(store);
    await relay.start();
    await waitFor(() => seen.filter((t) => t.startsWith('d.')).length >= 2 && relay.caughtUp(), { timeoutMs: 30_000, description: 'the decided events' });
    expect(seen.filter((t) => t.startsWith('d.'))).toEqual(['d.stored', 'd.after']);
    // An appender that comes back late finds its claim finished (so it enqueues its events again,
    // see EventStore.settle); the stray decision it wrote is cleared by the relay.
    expect(await outbox.isOpen(diedBeforeEvents)).toBe(false);
    await outbox.decide(diedBeforeEvents, diedBeforeEvents, true);
    const decisions = connection.collection(`${store.collectionName}_outbox`);
    relay.nudge();
    await waitFor(async () => (await decisions.countDocuments({ _id: decisionId(diedBeforeEvents) } as never)) === 0, { timeoutMs: 10_000, description: 'the stray decision to be cleared' });
    expect(await decisions.countDocuments({ _id: decisionId(diedAfterEvents) } as never)).toBe(0);
  });
});
