// Against real Kafka and FerretDB: does the idempotent consumer apply an event once even when it
// is killed after handling but before committing, and park poison messages and handlers that
// keep failing on <topic>.dlq with the reason in its headers, then move on?
import { Kafka, logLevel, type Admin, type KafkaMessage, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { loadInfraEnv, uniqueName, waitFor } from '@enclave/testing';
import { eventsV1 } from '@enclave/proto';
import { buildEnvelope } from '../bus/envelope';
import { headersToStrings, toKafkaMessage } from '../bus/kafka-message';
import { defineTopic, type Topic } from '../bus/topic';
import { tenantId } from '../tenancy/tenant-id';
import { DLQ_HEADERS } from './dead-letter';
import { IdempotentConsumer } from './idempotent-consumer';

const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'test', role: '' };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const envelopeBytes = (topic: Topic<eventsV1.Actor>, type: string) =>
  toKafkaMessage(buildEnvelope(topic, actor, { type, tenantId: tenantId('tenant-a'), actor }));


// Kafka group joins and topic metadata can take seconds on a small machine.
jest.setTimeout(60_000);
describe('IdempotentConsumer (Kafka + FerretDB)', () => {
  const env = loadInfraEnv();
  const kafka = new Kafka({ clientId: uniqueName('evc'), brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
  let connection: Connection;
  let admin: Admin;
  let producer: Producer;
  const consumers: IdempotentConsumer[] = [];
  const rawConsumers: Array<{ disconnect(): Promise<void> }> = [];

  const newConsumer = (groupId: string, maxAttempts = 3) => {
    const c = new IdempotentConsumer({ kafka, groupId, connection, fromBeginning: true, maxWaitTimeInMs: 500, maxAttempts, backoff: { initialMs: 20, maxMs: 100, factor: 2, jitter: 0 }, logger: quiet });
    consumers.push(c);
    return c;
  };
  const committedOffset = async (groupId: string, topic: string) =>
    (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions[0]!.offset;
  const collect = async (topic: string): Promise<KafkaMessage[]> => {
    const seen: KafkaMessage[] = [];
    const raw = kafka.consumer({ groupId: uniqueName('dlq-reader'), maxWaitTimeInMs: 500 });
    rawConsumers.push(raw);
    await raw.connect();
    await raw.subscribe({ topic, fromBeginning: true });
    await raw.run({ eachMessage: async ({ message }) => void seen.push(message) });
    return seen;
  };

  beforeAll(async () => {
    connection = await mongoose.createConnection(env.mongoUrl, { dbName: uniqueName('evconsumer') }).asPromise();
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    for (const c of consumers) await c.stop().catch(() => undefined);
    for (const r of rawConsumers) await r.disconnect().catch(() => undefined);
    await producer?.disconnect();
    await admin?.disconnect();
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  async function createTopics(...topics: string[]) {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: 1 })) });
  }

  it('applies an event once when the consumer dies after handling but before committing', async () => {
    const topic = defineTopic(uniqueName('t-redeliver'), eventsV1.Actor);
    const groupId = uniqueName('g');
    await createTopics(topic.name);
    const counters = connection.collection<{ _id: string; n: number }>('effect_counters');

    // A non-idempotent effect ($inc): only the processed marker can keep it at 1.
    const first = newConsumer(groupId);
    const firstCalls: string[] = [];
    let firstStopped: Promise<void> | undefined;
    first.on(topic, async (event) => {
      firstCalls.push(event.id);
      await counters.updateOne({ _id: event.id }, { $inc: { n: 1 } }, { upsert: true });
      firstStopped = first.stop(); // dies before the commit of this message
    });
    await first.start();
    const message = envelopeBytes(topic, 'test.Counted');
    await producer.send({ topic: topic.name, messages: [message] });

    await waitFor(() => firstStopped !== undefined, { timeoutMs: 30_000, description: 'the first consumer to handle the event' });
    await firstStopped;
    expect(await committedOffset(groupId, topic.name)).toBe('-1');

    const second = newConsumer(groupId);
    const secondCalls: string[] = [];
    second.on(topic, async (event) => void secondCalls.push(event.id));
    await second.start();
    await waitFor(async () => (await committedOffset(groupId, topic.name)) === '1', {
      timeoutMs: 30_000,
      description: 'the second consumer to receive and commit the redelivered event',
    });

    const eventId = firstCalls[0]!;
    expect(firstCalls).toHaveLength(1);
    expect(secondCalls).toEqual([]); // redelivered, recognised as processed, skipped
    expect((await counters.findOne({ _id: eventId }))?.n).toBe(1);
    expect(await connection.collection('processed_events').countDocuments({ consumer: groupId, eventId })).toBe(1);
  });

  it('keeps an upsert keyed by the event id correct when killed between the effect and the marker', async () => {
    const topic = defineTopic(uniqueName('t-upsert'), eventsV1.Actor);
    const groupId = uniqueName('g');
    await createTopics(topic.name);
    const ledger = connection.collection<{ _id: string; tenantId: string; units: number }>('usage_ledger');

    // The documented handler pattern: the write is an upsert keyed by ctx.eventId.
    const applyUsage = async (event: { tenantId: string }, ctx: { eventId: string }) => {
      await ledger.updateOne({ _id: ctx.eventId }, { $setOnInsert: { tenantId: event.tenantId, units: 5 } }, { upsert: true });
    };
    const first = newConsumer(groupId);
    let firstStopped: Promise<void> | undefined;
    first.on(topic, async (event, ctx) => {
      await applyUsage(event, ctx);
      firstStopped = first.stop();
      throw new Error('process killed'); // dies after the effect, before the processed marker
    });
    await first.start();
    await producer.send({ topic: topic.name, messages: [envelopeBytes(topic, 'test.UsageRecorded')] });
    await waitFor(() => firstStopped !== undefined, { timeoutMs: 30_000, description: 'the first consumer to apply the event' });
    await firstStopped;
    expect(await connection.collection('processed_events').countDocuments({ consumer: groupId })).toBe(0);
    expect(await committedOffset(groupId, topic.name)).toBe('-1');

    const second = newConsumer(groupId);
    const secondCalls: string[] = [];
    second.on(topic, async (event, ctx) => {
      secondCalls.push(ctx.eventId);
      await applyUsage(event, ctx);
    });
    await second.start();
    await waitFor(async () => (await committedOffset(groupId, topic.name)) === '1', { timeoutMs: 30_000, description: 'the redelivered event to be committed' });
    expect(secondCalls).toHaveLength(1); // handled again: no marker was written
    expect(await ledger.find({ _id: secondCalls[0]! }).toArray()).toEqual([{ _id: secondCalls[0], tenantId: 'tenant-a', units: 5 }]);
    expect(await connection.collection('processed_events').countDocuments({ consumer: groupId, eventId: secondCalls[0] })).toBe(1);
  });

  it('parks garbage bytes and an always-failing event on the DLQ with their reasons, then moves on', async () => {
    const topic = defineTopic(uniqueName('t-dlq'), eventsV1.Actor);
    const groupId = uniqueName('g');
    await createTopics(topic.name, topic.dlq);
    const dlq = await collect(topic.dlq);

    const attempts: string[] = [];
    const handled: string[] = [];
    const consumer = newConsumer(groupId, 3);
    consumer.on(topic, async (event) => {
      attempts.push(event.type);
      if (event.type === 'test.AlwaysFails') throw new Error('projection store rejected the write');
      handled.push(event.type);
    });
    await consumer.start();
    await producer.send({
      topic: topic.name,
      messages: [
        { key: 'tenant-a', value: Buffer.from('\u0000garbage that is not an envelope\u00ff', 'latin1') },
        envelopeBytes(topic, 'test.AlwaysFails'),
        envelopeBytes(topic, 'test.Fine'),
      ],
    });

    await waitFor(() => dlq.length >= 2 && handled.length >= 1, { timeoutMs: 30_000, description: 'two parked messages and one handled' });
    const [poison, failed] = dlq.map((m) => ({ value: m.value, headers: headersToStrings(m.headers) }));
    expect(poison!.value!.toString('latin1')).toBe('\u0000garbage that is not an envelope\u00ff');
    expect(poison!.headers).toMatchObject({ [DLQ_HEADERS.topic]: topic.name, [DLQ_HEADERS.partition]: '0', [DLQ_HEADERS.offset]: '0' });
    expect(poison!.headers[DLQ_HEADERS.reason]).toMatch(/envelope/i);
    expect(Date.parse(poison!.headers[DLQ_HEADERS.at]!)).not.toBeNaN();
    expect(failed!.headers).toMatchObject({ [DLQ_HEADERS.reason]: 'projection store rejected the write', [DLQ_HEADERS.offset]: '1', 'event-type': 'test.AlwaysFails' });
    expect(attempts.filter((t) => t === 'test.AlwaysFails')).toHaveLength(3);
    expect(handled).toEqual(['test.Fine']);
    await waitFor(async () => (await committedOffset(groupId, topic.name)) === '3', { timeoutMs: 15_000, description: 'all three offsets committed' });
  });
});
