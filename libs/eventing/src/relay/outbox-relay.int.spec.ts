// Against real Kafka and FerretDB: does an event appended to the store reach a consumer through
// the outbox relay — keyed by tenant, with its type and trace context — get recorded as
// published, and stay unpublished when Kafka cannot be reached? Does a restarted relay resume
// from its position, and does the relay wait for a lower number committed after a higher one?
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ROOT_CONTEXT, TraceFlags, context, trace } from '@opentelemetry/api';
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { loadInfraEnv, uniqueName, waitFor } from '@enclave/testing';
import { eventsV1 } from '@enclave/proto';
import { decodeEnvelope } from '../bus/envelope';
import { headersToStrings } from '../bus/kafka-message';
import { defineTopic } from '../bus/topic';
import type { ConsumedEvent } from '../consumer/consumed-event';
import { IdempotentConsumer } from '../consumer/idempotent-consumer';
import { EventStore } from '../store/event-store';
import { tenantId } from '../tenancy/tenant-id';
import { OutboxRelay } from './outbox-relay';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const tenant = tenantId('tenant-relay');
const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: 'subj-9', role: 'admin' };
// The payload message of this test topic is an Actor (any ts-proto message would do).
const topic = defineTopic(uniqueName('t-relay'), eventsV1.Actor);
const payload = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'billing', role: '' };
const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };


// Kafka group joins and topic metadata can take seconds on a small machine.
jest.setTimeout(60_000);
describe('OutboxRelay (Kafka + FerretDB)', () => {
  const env = loadInfraEnv();
  const kafka = new Kafka({ clientId: uniqueName('evr'), brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
  const contextManager = new AsyncLocalStorageContextManager();
  let connection: Connection;
  let store: EventStore;
  let admin: Admin;
  let relay: OutboxRelay;
  let consumer: IdempotentConsumer;
  const raw = kafka.consumer({ groupId: uniqueName('raw'), maxWaitTimeInMs: 500 });

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    connection = await mongoose.createConnection(env.mongoUrl, { dbName: uniqueName('evrelay') }).asPromise();
    store = new EventStore(connection);
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topic.name, numPartitions: 1 }] });
  });
  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await raw.disconnect();
    await admin?.disconnect();
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
    contextManager.disable();
    context.disable();
  });

  it('never records events it could not send', async () => {
    const unreachable = new Kafka({ clientId: 'unreachable', brokers: ['127.0.0.1:1'], connectionTimeout: 200, retry: { retries: 0 }, logLevel: logLevel.NOTHING });
    const own = new EventStore(connection, { collection: uniqueName('outbox') });
    await own.append(uniqueName('s'), 0, [{ type: 'test.Kept', tenantId: tenant, actor, payload: new Uint8Array([1]) }]);
    const failing = new OutboxRelay({ kafka: unreachable, store: own, topic: topic.name, logger: quiet });
    await expect(failing.publishOnce()).rejects.toThrow();
    expect((await own.unpublished(10)).map((e) => e.type)).toEqual(['test.Kept']);
    await failing.stop();
  });

  it('delivers an appended event to a consumer through Kafka and records it published', async () => {
    const received: Array<{ event: ConsumedEvent<eventsV1.Actor>; traceId: string | undefined }> = [];
    consumer = new IdempotentConsumer({ kafka, groupId: uniqueName('g'), connection, fromBeginning: true, maxWaitTimeInMs: 500, logger: quiet });
    consumer.on(topic, async (event) => void received.push({ event, traceId: trace.getSpanContext(context.active())?.traceId }));
    await consumer.start();
    const rawMessages: KafkaMessage[] = [];
    await raw.connect();
    await raw.subscribe({ topic: topic.name, fromBeginning: true });
    await raw.run({ eachMessage: async ({ message }) => void rawMessages.push(message) });

    relay = new OutboxRelay({ kafka, store, topic: topic.name, pollIntervalMs: 200, logger: quiet });
    await relay.start();
    const streamId = uniqueName('stream');
    const appended = await context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () =>
      store.append(streamId, 0, [{ type: 'test.PayloadSet', tenantId: tenant, subjectId: 'subj-9', actor, payload: topic.codec.encode(payload).finish() }]),
    );
    relay.nudge();

    await waitFor(() => received.length > 0 && rawMessages.length > 0, { timeoutMs: 30_000, description: 'the event to arrive through Kafka' });
    const { event, traceId } = received[0]!;
    expect(event).toMatchObject({ id: appended.events[0]!.id, type: 'test.PayloadSet', tenantId: tenant, subjectId: 'subj-9', actor, streamId, streamVersion: 1, payload });
    expect(traceId).toBe(spanContext.traceId);

    const message = rawMessages[0]!;
    expect(message.key?.toString()).toBe(tenant);
    expect(headersToStrings(message.headers)).toMatchObject({ 'event-type': 'test.PayloadSet', traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-01` });
    expect(decodeEnvelope(topic, message.value).envelope.id).toBe(appended.events[0]!.id);

    await waitFor(async () => (await store.unpublished(10)).length === 0, { timeoutMs: 10_000, description: 'the event to be recorded published' });
    expect(await relay.caughtUp()).toBe(true);
  });
});
