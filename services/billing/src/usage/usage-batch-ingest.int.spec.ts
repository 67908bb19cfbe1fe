// Against real Kafka, FerretDB and Redis: is usage ingested in batches billed exactly once — the
// same events delivered twice, published again later, or redelivered after a consumer died
// mid-batch (after the ledger write, or after the projections, before the offset commit) — for
// many tenants in one batch?
import type { Connection } from 'mongoose';
import type Redis from 'ioredis';
import type { Kafka, Producer } from 'kafkajs';
import { BatchConsumer, EVENT_ID_HEADER, type EventEnvelope } from '@enclave/eventing';
import { uniqueName, waitFor } from '@enclave/testing';
import { BillingRuntime } from '../composition/billing-runtime';
import { CheckExhaustion } from '../quota/application/check-exhaustion';
import { connectTestDb, newTenantId, publish, quietLogger, testKafka, testRedis, usageEnvelope } from '../test-support/billing-test-kit.helper.spec';
import { ProjectUsageBatch } from './application/project-usage-batch';
import type { UsageRollupStore } from './application/ports';
import { usageBatchHandler } from './interface/usage-batch-handler';

jest.setTimeout(120_000);

const NOW = new Date('2025-03-15T12:00:00.000Z');
const MONTH = '2025-03';
const groupId = uniqueName('billing-batch');
const suffix = `.${uniqueName('t')}`;
let connection: Connection;
let redis: Redis;
let kafka: Kafka;
let producer: Producer;
let runtime: BillingRuntime;

const newRuntime = () =>
  new BillingRuntime({ connection, redis, logger: quietLogger(), defaultMonthlyTokenQuota: null, clock: () => NOW, kafka: { client: kafka, groupId, topicSuffix: suffix } });

beforeAll(async () => {
  connection = await connectTestDb('billing-batch');
  redis = testRedis();
  kafka = testKafka();
  runtime = newRuntime();
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await runtime?.stop();
  redis?.disconnect();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

const topic = () => runtime.topics.chatGateway;
const use = (tenant: string, i: number) =>
  usageEnvelope(topic(), tenant, { memberSubjectId: `sub-${i % 3}`, model: i % 2 ? 'gpt-4o' : 'gpt-4o-mini', promptTokens: 10 + i, completionTokens: i, occurredAt: new Date(NOW.getTime() - (i % 2) * 86_400_000) });
const ledgerCount = (tenant: string) => connection.collection('usage_ledger').countDocuments({ tenantId: tenant });
const totals = async (tenant: string) => (await runtime.getUsageReport.execute(tenant as never, MONTH)).totals;
const expected = (envelopes: EventEnvelope[]) => {
  const sum = { promptTokens: 0, completionTokens: 0, messages: envelopes.length, totalTokens: 0 };
  for (const e of envelopes) {
    const u = topic().codec.decode(e.payload).event;
    if (u?.$case !== 'usageRecorded') continue;
    sum.promptTokens += u.value.promptTokens;
    sum.completionTokens += u.value.completionTokens;
  }
  sum.totalTokens = sum.promptTokens + sum.completionTokens;
  return sum;
};
/** Waits until the tenant's month shows `messages`, then until all of the group's usage is committed. */
async function settled(tenant: string, messages: number): Promise<void> {
  await waitFor(async () => (await totals(tenant)).messages >= messages, { timeoutMs: 60_000, description: `${messages} messages for ${tenant}` });
  await waitFor(async () => (await usageLag()) === 0, { timeoutMs: 60_000, description: 'the usage consumer caught up' });
}
async function usageLag(): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic().name);
    const [committed] = await admin.fetchOffsets({ groupId: `${groupId}-usage`, topics: [topic().name] });
    return ends.reduce((lag, p) => {
      const at = committed?.partitions.find((c) => c.partition === p.partition)?.offset ?? '-1';
      return lag + Number(p.high) - Math.max(Number(at), Number(p.low));
    }, 0);
  } finally {
    await admin.disconnect();
  }
}

/** A usage consumer of the runtime's group that dies (never commits) at `step` of its first batch. */
async function consumerDyingAt(step: 'after-ledger' | 'after-projections'): Promise<{ died: Promise<void>; kill: () => Promise<void> }> {
  let signalDied!: () => void;
  const died = new Promise<void>((resolve) => (signalDied = resolve));
  let release!: (error: Error) => void;
  const hang = () => {
    signalDied();
    return new Promise<never>((_, reject) => (release = reject));
  };
  const rollups: UsageRollupStore = {
    month: (t, m) => runtime.totals.month(t, m),
    memberMonth: (t, m, s) => runtime.totals.memberMonth(t, m, s),
    saveMemberMonth: (r) => (step === 'after-ledger' ? hang() : runtime.totals.saveMemberMonth(r)),
    saveMonth: (r) => runtime.totals.saveMonth(r),
  };
  const exhaustion = { execute: () => (step === 'after-projections' ? hang() : Promise.resolve()) } as unknown as CheckExhaustion;
  const consumer = new BatchConsumer({
    kafka,
    groupId: `${groupId}-usage`,
    topic: topic(),
    fromBeginning: true,
    handle: usageBatchHandler(new ProjectUsageBatch(runtime.ledger, rollups, exhaustion)),
    logger: quietLogger(),
  });
  await consumer.start();
  return {
    died,
    kill: async () => {
      const stopping = consumer.stop();
      release(new Error('killed'));
      await stopping;
    },
  };
}

describe('batch ingestion of usage', () => {
  it('bills a batch redelivered after the consumer died after the ledger write exactly once', async () => {
    await runtime.ledger.init();
    await runtime.totals.init();
    const tenant = newTenantId();
    const events = Array.from({ length: 40 }, (_, i) => use(tenant, i));
    const dying = await consumerDyingAt('after-ledger');
    await publish(producer, topic().name, ...events);
    await dying.died;
    expect(await ledgerCount(tenant)).toBeGreaterThan(0);
    expect(await totals(tenant)).toMatchObject({ messages: 0 });
    await dying.kill();
    await runtime.start();
    await settled(tenant, 40);
    expect(await totals(tenant)).toEqual(expected(events));
    expect(await ledgerCount(tenant)).toBe(40);
  });

  it('bills a batch redelivered after the consumer died after the projections, before the commit, exactly once', async () => {
    await runtime.stop();
    const tenant = newTenantId();
    const events = Array.from({ length: 30 }, (_, i) => use(tenant, i));
    const dying = await consumerDyingAt('after-projections');
    await publish(producer, topic().name, ...events);
    await dying.died;
    await dying.kill();
    expect(await totals(tenant)).toEqual(expected(events));
    runtime = newRuntime();
    await runtime.start();
    await settled(tenant, 30);
    expect(await totals(tenant)).toEqual(expected(events));
    expect(await ledgerCount(tenant)).toBe(30);
  });

  it('counts the same events delivered twice, in the batch and again later, once', async () => {
    const tenant = newTenantId();
    const events = Array.from({ length: 25 }, (_, i) => use(tenant, i));
    await publish(producer, topic().name, ...events, ...events.slice(0, 10));
    await settled(tenant, 25);
    await publish(producer, topic().name, ...events);
    // A later marker: once it is counted, the copies before it on the partition were handled.
    const marker = use(tenant, 99);
    await publish(producer, topic().name, marker);
    await settled(tenant, 26);
    expect(await totals(tenant)).toEqual(expected([...events, marker]));
    expect(await ledgerCount(tenant)).toBe(26);
  });

  it('parks an event whose counts can never be billed on the dead-letter topic and bills the rest of its batch', async () => {
    const tenant = newTenantId();
    const good = [use(tenant, 1), use(tenant, 2)];
    const bad = usageEnvelope(topic(), tenant, { memberSubjectId: 'sub-x', model: 'gpt-4o', promptTokens: -5, completionTokens: 1, occurredAt: NOW });
    const parked: string[] = [];
    const reader = kafka.consumer({ groupId: uniqueName('dlq-reader') });
    await reader.connect();
    await reader.subscribe({ topic: topic().dlq, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void parked.push(String(message.headers?.[EVENT_ID_HEADER] ?? '')) });
    try {
      await publish(producer, topic().name, good[0]!, bad, good[1]!);
      await settled(tenant, 2);
      expect(await totals(tenant)).toEqual(expected(good));
      expect(await ledgerCount(tenant)).toBe(2);
      await waitFor(() => parked.length > 0, { timeoutMs: 30_000, description: 'the bad event on the dead-letter topic' });
      expect(parked).toEqual([bad.id]);
    } finally {
      await reader.disconnect();
    }
  });

  it('bills many tenants of one batch each exactly, by member, model and day', async () => {
    const tenants = Array.from({ length: 20 }, () => newTenantId());
    const events = tenants.flatMap((tenant, t) => Array.from({ length: 3 + (t % 5) }, (_, i) => use(tenant, i)));
    await publish(producer, topic().name, ...events);
    for (const [t, tenant] of tenants.entries()) {
      const mine = events.filter((e) => e.tenantId === tenant);
      await settled(tenant, mine.length);
      expect(await totals(tenant)).toEqual(expected(mine));
      expect(await ledgerCount(tenant)).toBe(3 + (t % 5));
      const report = await runtime.getUsageReport.execute(tenant, MONTH);
      expect(report.byMember.reduce((n, m) => n + m.messages, 0)).toBe(mine.length);
      expect(report.byModel.reduce((n, m) => n + m.messages, 0)).toBe(mine.length);
      expect(report.byDay.map((d) => d.day)).toEqual(['2025-03-14', '2025-03-15']);
    }
  });
});
