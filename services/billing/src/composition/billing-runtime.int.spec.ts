// Against real Kafka, FerretDB and Redis: do usage events become correct month totals and breakdowns counted once (even when delivered twice), leave chat-gateway's Redis counter to the gateway (raised only on re-sync), with QuotaSet/QuotaExhausted raised and published?
import type { Connection } from 'mongoose';
import type Redis from 'ioredis';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { eventsV1, billingV1 } from '@enclave/proto';
import { uniqueName, waitFor } from '@enclave/testing';
import { monthlyUsageKey, quotaLimitKey } from '../quota/infrastructure/quota-keys';
import { quotaStreamId } from '../quota/infrastructure/event-store-quota-stream';
import {
  connectTestDb,
  instanceCreatedEnvelope,
  newTenantId,
  publish,
  quietLogger,
  testKafka,
  testRedis,
  usageEnvelope,
} from '../test-support/billing-test-kit.helper.spec';
import { BillingRuntime } from './billing-runtime';

jest.setTimeout(90_000);

const NOW = new Date('2025-03-15T12:00:00.000Z');
const MONTH = '2025-03';
let connection: Connection;
let redis: Redis;
let kafka: Kafka;
let producer: Producer;
let runtime: BillingRuntime;
let billingReader: Consumer;
const groupId = uniqueName('billing');
const published: Array<{ key: string; envelope: eventsV1.EventEnvelope }> = [];

beforeAll(async () => {
  connection = await connectTestDb('billing-int');
  redis = testRedis();
  kafka = testKafka();
  runtime = new BillingRuntime({
    connection,
    redis,
    logger: quietLogger(),
    defaultMonthlyTokenQuota: 1000,
    clock: () => NOW,
    kafka: { client: kafka, groupId, topicSuffix: `.${uniqueName('t')}` },
  });
  await runtime.start();
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  billingReader = kafka.consumer({ groupId: uniqueName('billing-reader') });
  await billingReader.connect();
  await billingReader.subscribe({ topic: runtime.topics.billing.name, fromBeginning: true });
  await billingReader.run({
    eachMessage: async ({ message }) => {
      published.push({ key: message.key!.toString(), envelope: eventsV1.EventEnvelope.decode(message.value!) });
    },
  });
});

afterAll(async () => {
  await billingReader?.disconnect();
  await producer?.disconnect();
  await runtime?.stop();
  redis?.disconnect();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

const at = (iso: string) => new Date(iso);
/** Usage events not yet committed by billing's usage consumer group. */
async function usageLag(): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topic = runtime.topics.chatGateway.name;
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: `${groupId}-usage`, topics: [topic] });
    return ends.reduce((lag, p) => {
      const at = committed?.partitions.find((c) => c.partition === p.partition)?.offset ?? '-1';
      return lag + Number(p.high) - Math.max(Number(at), Number(p.low));
    }, 0);
  } finally {
    await admin.disconnect();
  }
}
const usageDoc = (tenant: string) => connection.collection('usage_months').findOne({ _id: `${tenant}|${MONTH}` as never });

describe('a new tenant', () => {
  const tenant = newTenantId();

  beforeAll(async () => {
    await publish(producer, runtime.topics.tenant.name, instanceCreatedEnvelope(runtime.topics.tenant, tenant, 'sub-owner'));
  });

  it('gets the default quota: QuotaSet on its stream, the quotas row and the Redis limit key', async () => {
    await waitFor(async () => (await redis.get(quotaLimitKey(tenant))) === '1000', { description: 'the limit key' });
    expect(await runtime.quotas.get(tenant)).toEqual({ tenantId: tenant, monthlyTokenQuota: 1000, version: 1 });
    const stream = await runtime.store.readStream(quotaStreamId(tenant), { tenantId: tenant });
    expect(stream.map((e) => [e.version, e.type])).toEqual([[1, 'billing.QuotaSet']]);
    expect(stream[0]!.actor).toEqual({ kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'billing', role: '' });
  });

  it('publishes QuotaSet to enclave.billing.events.v1 keyed by tenant', async () => {
    const quotaSet = await waitFor(() => published.find((p) => p.key === tenant && p.envelope.type === 'billing.QuotaSet'));
    const payload = billingV1.BillingEvent.decode(quotaSet.envelope.payload);
    expect(payload.event).toEqual({ $case: 'quotaSet', value: { monthlyTokenQuota: 1000, unlimited: false } });
  });

  it('keeps a single QuotaSet when InstanceCreated is delivered again', async () => {
    const again = instanceCreatedEnvelope(runtime.topics.tenant, tenant, 'sub-owner');
    await publish(producer, runtime.topics.tenant.name, again);
    await waitFor(async () => (await connection.collection('processed_events').countDocuments({ eventId: again.id })) === 1, {
      description: 'the second InstanceCreated to be processed',
    });
    const stream = await runtime.store.readStream(quotaStreamId(tenant), { tenantId: tenant });
    expect(stream).toHaveLength(1);
  });
});

describe('usage events', () => {
  const tenant = newTenantId();
  const first = () => usageEnvelope(runtime.topics.chatGateway, tenant, { memberSubjectId: 'sub-ann', model: 'gpt-4o', promptTokens: 100, completionTokens: 50, occurredAt: at('2025-03-14T23:59:59.000Z') });
  let duplicated: ReturnType<typeof first>;

  beforeAll(async () => {
    duplicated = first();
    await publish(
      producer,
      runtime.topics.chatGateway.name,
      duplicated,
      duplicated, // the same envelope twice: a relay re-send
      usageEnvelope(runtime.topics.chatGateway, tenant, { memberSubjectId: 'sub-bob', model: 'gpt-4o-mini', promptTokens: 200, completionTokens: 100, occurredAt: at('2025-03-15T00:00:00.000Z') }),
      usageEnvelope(runtime.topics.chatGateway, tenant, { memberSubjectId: 'sub-ann', model: 'gpt-4o', promptTokens: 10, completionTokens: 5, occurredAt: at('2025-03-15T08:00:00.000Z') }),
    );
    await publish(producer, runtime.topics.chatGateway.name, duplicated); // and once more, later
    await waitFor(async () => (await usageDoc(tenant))?.messages === 3, { description: 'three messages counted' });
    // Give a wrongly counted duplicate time to show up: a later marker event must be through first.
    const marker = usageEnvelope(runtime.topics.chatGateway, tenant, { memberSubjectId: 'sub-marker', model: 'x', promptTokens: 0, completionTokens: 0, occurredAt: at('2025-03-15T09:00:00.000Z') });
    await publish(producer, runtime.topics.chatGateway.name, marker);
    await waitFor(async () => (await usageDoc(tenant))?.messages === 4, { description: 'the marker counted' });
  });

  it('adds each event once to the month totals', async () => {
    const report = await runtime.getUsageReport.execute(tenant, MONTH);
    expect(report.totals).toEqual({ promptTokens: 310, completionTokens: 155, messages: 4, totalTokens: 465 });
  });

  it('breaks the month down by member, model and UTC day', async () => {
    const report = await runtime.getUsageReport.execute(tenant, MONTH);
    expect(report.byMember).toEqual([
      { memberSubjectId: 'sub-ann', promptTokens: 110, completionTokens: 55, messages: 2, totalTokens: 165 },
      { memberSubjectId: 'sub-bob', promptTokens: 200, completionTokens: 100, messages: 1, totalTokens: 300 },
      { memberSubjectId: 'sub-marker', promptTokens: 0, completionTokens: 0, messages: 1, totalTokens: 0 },
    ]);
    expect(report.byModel).toEqual([
      { model: 'gpt-4o', promptTokens: 110, completionTokens: 55, messages: 2, totalTokens: 165 },
      { model: 'gpt-4o-mini', promptTokens: 200, completionTokens: 100, messages: 1, totalTokens: 300 },
      { model: 'x', promptTokens: 0, completionTokens: 0, messages: 1, totalTokens: 0 },
    ]);
    expect(report.byDay).toEqual([
      { day: '2025-03-14', promptTokens: 100, completionTokens: 50, messages: 1, totalTokens: 150 },
      { day: '2025-03-15', promptTokens: 210, completionTokens: 105, messages: 3, totalTokens: 315 },
    ]);
  });

  it('does not touch the Redis month counter: chat-gateway owns it', async () => {
    expect(await redis.get(monthlyUsageKey(tenant, MONTH))).toBeNull();
  });

  it('re-syncs by raising the Redis counter to the projected total, never lowering it', async () => {
    await runtime.resync.execute();
    expect(await redis.get(monthlyUsageKey(tenant, MONTH))).toBe('465');
    await redis.set(monthlyUsageKey(tenant, MONTH), '900');
    await runtime.resync.execute();
    expect(await redis.get(monthlyUsageKey(tenant, MONTH))).toBe('900');
  });
});

describe('the quota', () => {
  const tenant = newTenantId();
  const use = (tokens: number) =>
    usageEnvelope(runtime.topics.chatGateway, tenant, { memberSubjectId: 'sub-cy', model: 'gpt-4o', promptTokens: tokens, completionTokens: 0, occurredAt: NOW });
  const exhaustedEvents = async () =>
    (await runtime.store.readStream(quotaStreamId(tenant), { tenantId: tenant })).filter((e) => e.type === 'billing.QuotaExhausted');

  beforeAll(async () => {
    await runtime.setQuota.execute(tenant, 500);
  });

  it('sets the Redis limit at once', async () => {
    expect(await redis.get(quotaLimitKey(tenant))).toBe('500');
  });

  it('raises QuotaExhausted once, the first time usage reaches the quota in the month', async () => {
    await publish(producer, runtime.topics.chatGateway.name, use(300));
    await waitFor(async () => (await usageDoc(tenant))?.messages === 1);
    expect(await exhaustedEvents()).toHaveLength(0);
    await publish(producer, runtime.topics.chatGateway.name, use(250), use(100));
    await waitFor(async () => (await usageDoc(tenant))?.messages === 3);
    // The month is saved before the batch's quota check: wait for the check, then for the group to be caught up.
    await waitFor(async () => (await exhaustedEvents()).length > 0, { description: 'QuotaExhausted' });
    await waitFor(async () => (await usageLag()) === 0, { description: 'the usage consumer caught up' });
    const exhausted = await exhaustedEvents();
    expect(exhausted).toHaveLength(1);
    const payload = billingV1.BillingEvent.decode(exhausted[0]!.payload);
    // Checked once per batch: the month's usage after the batch that reached the quota (550 when
    // the two events come in separate batches, 650 in one).
    expect(payload.event).toEqual({ $case: 'quotaExhausted', value: { month: MONTH, tokensUsed: expect.any(Number), monthlyTokenQuota: 500 } });
    expect([550, 650]).toContain(payload.event?.$case === 'quotaExhausted' && payload.event.value.tokensUsed);
    const report = await runtime.getUsageReport.execute(tenant, MONTH);
    expect(report.quota).toEqual({ monthlyTokenQuota: 500, used: 650, remaining: 0, warning: true, exhausted: true });
    await waitFor(() => published.some((p) => p.key === tenant && p.envelope.type === 'billing.QuotaExhausted'), {
      description: 'QuotaExhausted on the billing topic',
    });
  });

  it('raises it again only after a new quota is reached, and removes the limit for unlimited', async () => {
    await runtime.setQuota.execute(tenant, 700);
    await publish(producer, runtime.topics.chatGateway.name, use(60));
    await waitFor(async () => (await usageDoc(tenant))?.messages === 4);
    await waitFor(async () => (await exhaustedEvents()).length === 2, { description: 'the second QuotaExhausted' });
    expect(billingV1.BillingEvent.decode((await exhaustedEvents())[1]!.payload).event).toMatchObject({ value: { tokensUsed: 710, monthlyTokenQuota: 700 } });
    await runtime.setQuota.execute(tenant, null);
    expect(await redis.exists(quotaLimitKey(tenant))).toBe(0);
    expect((await runtime.getUsageReport.execute(tenant, MONTH)).quota).toEqual({
      monthlyTokenQuota: null,
      used: 710,
      remaining: null,
      warning: false,
      exhausted: false,
    });
  });
});
