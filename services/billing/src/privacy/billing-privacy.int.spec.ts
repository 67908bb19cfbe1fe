// Against real Kafka, FerretDB and Redis: does billing export a person's usage detail to audit only, delete it (and only it: tenant totals and Redis stay) on SubjectPurgeRequested confirming once under redelivery, and delete detail past each tenant's retention period with a RetentionPurged record?
import type { Connection } from 'mongoose';
import type Redis from 'ioredis';
import type { Kafka, Producer } from 'kafkajs';
import { billingV1, eventsV1, privacyV1 } from '@enclave/proto';
import { buildEnvelope, tenantId as toTenantId, type TenantId } from '@enclave/eventing';
import { createGrpcClient, generateServiceKeypair, GrpcStatus, loadServiceIdentity, ServiceTrust, uuidv7 } from '@enclave/platform';
import { uniqueName, waitFor } from '@enclave/testing';
import { BillingRuntime } from '../composition/billing-runtime';
import { monthlyUsageKey } from '../quota/infrastructure/quota-keys';
import { connectTestDb, newTenantId, publish, quietLogger, testKafka, testRedis, usageEnvelope } from '../test-support/billing-test-kit.helper.spec';
import { subjectPurgeStreamId } from './domain/privacy-events';

jest.setTimeout(90_000);

const NOW = new Date('2025-03-15T12:00:00.000Z');
const keys = { audit: generateServiceKeypair(), gateway: generateServiceKeypair() };
let connection: Connection;
let redis: Redis;
let kafka: Kafka;
let producer: Producer;
let runtime: BillingRuntime;

beforeAll(async () => {
  connection = await connectTestDb('billing-privacy');
  redis = testRedis();
  kafka = testKafka();
  runtime = new BillingRuntime({
    connection,
    redis,
    logger: quietLogger(),
    defaultMonthlyTokenQuota: null,
    clock: () => NOW,
    kafka: { client: kafka, groupId: uniqueName('billing-privacy'), topicSuffix: `.${uniqueName('t')}` },
    grpc: { host: '127.0.0.1', port: 0, trust: new ServiceTrust({ audit: keys.audit.publicKey, 'chat-gateway': keys.gateway.publicKey }) },
    retentionIntervalMs: 0,
  });
  await runtime.start();
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await runtime?.stop();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
  redis?.disconnect();
});

/** The member detail rows (day × model) in billing's member-month rollups. */
const detailRows = async (filter: Record<string, unknown>) =>
  (await connection.collection('usage_member_months').find(filter).toArray()).flatMap((doc) =>
    (doc.rows as Array<{ day: string; messages: number }>).map((row) => ({ ...row, memberSubjectId: String(doc.memberSubjectId) })),
  );
const usage = (member: string, day: string, promptTokens: number, model = 'gpt-4o-mini') => ({
  memberSubjectId: member,
  model,
  promptTokens,
  completionTokens: 1,
  occurredAt: new Date(`${day}T10:00:00.000Z`),
});

async function recordAll(tenant: string, rows: ReturnType<typeof usage>[]): Promise<void> {
  await publish(producer, runtime.topics.chatGateway.name, ...rows.map((row) => usageEnvelope(runtime.topics.chatGateway, tenant, row)));
  const expected = rows.length;
  await waitFor(async () => {
    const rows = await detailRows({ tenantId: tenant });
    return rows.reduce((n, d) => n + Number(d.messages), 0) === expected ? true : undefined;
  }, { timeoutMs: 45_000, description: 'usage to be recorded' });
}

function purgeEnvelope(tenant: string, subjectId: string, requestId: string) {
  return buildEnvelope(
    runtime.topics.audit,
    { event: { $case: 'subjectPurgeRequested', value: { requestId, subjectId } } },
    { type: 'audit.SubjectPurgeRequested', tenantId: toTenantId(tenant), subjectId, actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'audit', role: '' } },
  );
}

function settingsEnvelope(tenant: string, version: number, usageDetailDays: number | undefined) {
  return buildEnvelope(
    runtime.topics.tenant,
    {
      event: {
        $case: 'settingsChanged',
        value: {
          settings: {
            instanceName: 'Acme',
            systemInstruction: '',
            messageLogging: false,
            privacyPolicyUrl: '',
            defaultModel: 'gpt-4o-mini',
            allowedModels: [],
            messageLoggingNoticeVersion: '',
            retention: usageDetailDays === undefined ? undefined : { conversationDays: 0, securityLogDays: 90, usageDetailDays },
          },
        },
      },
    },
    {
      type: 'tenant.SettingsChanged',
      tenantId: toTenantId(tenant),
      actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'tenant', role: '' },
      streamId: `tenant-${tenant}`,
      streamVersion: version,
    },
  );
}

const exportAs = (service: 'audit' | 'chat-gateway') =>
  createGrpcClient(privacyV1.SubjectDataServiceClient, `127.0.0.1:${runtime.grpcPort}`, {
    identity: loadServiceIdentity(service, service === 'audit' ? keys.audit.privateKey : keys.gateway.privateKey),
    audience: 'billing',
    defaultDeadlineMs: 5000,
  });

describe('a person erased', () => {
  let tenant: TenantId;
  const requestId = uuidv7();

  beforeAll(async () => {
    tenant = newTenantId();
    await recordAll(tenant, [usage('alice', '2025-02-10', 10), usage('alice', '2025-03-01', 20), usage('alice', '2025-03-01', 5, 'gpt-4o'), usage('bob', '2025-03-02', 7)]);
  });

  it('exports the person usage per day and model and per month, to audit', async () => {
    const client = exportAs('audit');
    const response = await client.call('exportSubjectData', { tenantId: tenant, subjectId: 'alice' });
    client.close();
    expect(response.service).toBe('billing');
    expect(JSON.parse(response.documentJson)).toEqual({
      tenantId: tenant,
      subjectId: 'alice',
      usageByDay: [
        { day: '2025-02-10', model: 'gpt-4o-mini', promptTokens: 10, completionTokens: 1, messages: 1, totalTokens: 11 },
        { day: '2025-03-01', model: 'gpt-4o', promptTokens: 5, completionTokens: 1, messages: 1, totalTokens: 6 },
        { day: '2025-03-01', model: 'gpt-4o-mini', promptTokens: 20, completionTokens: 1, messages: 1, totalTokens: 21 },
      ],
      usageByMonth: [
        { month: '2025-02', promptTokens: 10, completionTokens: 1, messages: 1, totalTokens: 11 },
        { month: '2025-03', promptTokens: 25, completionTokens: 2, messages: 2, totalTokens: 27 },
      ],
    });
  });

  it('refuses the export to chat-gateway with PERMISSION_DENIED, and malformed ids with INVALID_ARGUMENT', async () => {
    const gateway = exportAs('chat-gateway');
    await expect(gateway.call('exportSubjectData', { tenantId: tenant, subjectId: 'alice' })).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    gateway.close();
    const audit = exportAs('audit');
    await expect(audit.call('exportSubjectData', { tenantId: tenant, subjectId: '' })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    audit.close();
  });

  it('deletes their usage detail only, keeps tenant totals and Redis, and confirms with the count', async () => {
    const redisBefore = await redis.get(monthlyUsageKey(tenant, '2025-03'));
    const monthlyBefore = await connection.collection('usage_months').find({ tenantId: tenant }).sort({ month: 1 }).toArray();
    await publish(producer, runtime.topics.audit.name, purgeEnvelope(tenant, 'alice', requestId));
    const [confirmed] = await waitFor(async () => {
      const stream = await runtime.store.readStream(subjectPurgeStreamId(requestId), { tenantId: tenant });
      return stream.length > 0 ? stream : undefined;
    }, { timeoutMs: 45_000, description: 'SubjectDataPurged' });
    expect(confirmed).toMatchObject({ type: 'billing.SubjectDataPurged', subjectId: 'alice', version: 1, actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'billing' } });
    expect(billingV1.BillingEvent.decode(confirmed!.payload).event).toEqual({
      $case: 'subjectDataPurged',
      value: { requestId, subjectId: 'alice', recordsDeleted: 3 },
    });
    expect(await detailRows({ tenantId: tenant, memberSubjectId: 'alice' })).toHaveLength(0);
    expect(await detailRows({ tenantId: tenant, memberSubjectId: 'bob' })).toHaveLength(1);
    expect(await connection.collection('usage_ledger').countDocuments({ tenantId: tenant, memberSubjectId: 'alice' })).toBe(0);
    expect(await connection.collection('usage_ledger').countDocuments({ tenantId: tenant, memberSubjectId: 'bob' })).toBe(1);
    expect(await connection.collection('usage_months').find({ tenantId: tenant }).sort({ month: 1 }).toArray()).toEqual(monthlyBefore);
    expect(await redis.get(monthlyUsageKey(tenant, '2025-03'))).toBe(redisBefore);
    expect(await redis.keys(`*alice*`)).toEqual([]);
  });

  it('confirms once when the request is delivered again', async () => {
    const again = purgeEnvelope(tenant, 'alice', requestId);
    await publish(producer, runtime.topics.audit.name, again);
    await waitFor(async () => ((await connection.collection('processed_events').findOne({ eventId: again.id })) ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the redelivered request to be processed',
    });
    expect(await runtime.store.readStream(subjectPurgeStreamId(requestId), { tenantId: tenant })).toHaveLength(1);
    expect(await runtime.purgeSubjectUsage.execute({ tenantId: tenant, requestId, subjectId: 'alice' })).toEqual({ confirmed: false, recordsDeleted: 0 });
  });
});

describe('usage detail retention', () => {
  it('deletes detail past each tenant period (learnt from SettingsChanged, default 365), records RetentionPurged, keeps totals', async () => {
    const short = newTenantId();
    const standard = newTenantId();
    await recordAll(short, [usage('carol', '2025-02-01', 3), usage('carol', '2025-02-13', 4), usage('dave', '2025-03-10', 5)]);
    await recordAll(standard, [usage('erin', '2024-03-14', 6), usage('erin', '2024-03-15', 7)]);
    // Versions out of order: the older settings (90 days) must not replace the newer (30 days).
    await publish(producer, runtime.topics.tenant.name, settingsEnvelope(short, 5, 30), settingsEnvelope(short, 4, 90));
    await publish(producer, runtime.topics.tenant.name, settingsEnvelope(standard, 3, undefined));
    await waitFor(async () => {
      const rows = await connection.collection('tenant_retention').find({ tenantId: { $in: [short, standard] } }).toArray();
      return rows.length === 2 && rows.some((r) => r.tenantId === short && r.version === 5) ? rows : undefined;
    }, { timeoutMs: 45_000, description: 'retention settings to be projected' });
    expect(await runtime.tenantRetention.usageDetailDays(short)).toBe(30);
    expect(await runtime.tenantRetention.usageDetailDays(standard)).toBeNull();
    const monthlyBefore = await connection.collection('usage_months').countDocuments({ tenantId: { $in: [short, standard] } });

    const results = await runtime.retention.runOnce(NOW);
    const mine = results.filter((r) => r.tenantId === short || r.tenantId === standard).sort((a, b) => a.cutoffMs - b.cutoffMs);
    expect(mine).toEqual([
      { tenantId: standard, cutoffMs: Date.parse('2024-03-15T00:00:00.000Z'), recordsDeleted: 1 },
      { tenantId: short, cutoffMs: Date.parse('2025-02-13T00:00:00.000Z'), recordsDeleted: 1 },
    ]);
    expect((await detailRows({ tenantId: short })).map((d) => d.day).sort()).toEqual(['2025-02-13', '2025-03-10']);
    expect((await detailRows({ tenantId: standard })).map((d) => d.day)).toEqual(['2024-03-15']);
    expect((await connection.collection('usage_ledger').find({ tenantId: short }).toArray()).map((d) => d.day).sort()).toEqual(['2025-02-13', '2025-03-10']);
    expect(await connection.collection('usage_months').countDocuments({ tenantId: { $in: [short, standard] } })).toBe(monthlyBefore);

    const records = await connection.collection('events').find({ tenantId: short, type: 'billing.RetentionPurged' }).toArray();
    expect(records).toHaveLength(1);
    expect(billingV1.BillingEvent.decode(records[0]!.payload.buffer ?? records[0]!.payload).event).toEqual({
      $case: 'retentionPurged',
      value: { dataClass: 'usage_detail', cutoffMs: Date.parse('2025-02-13T00:00:00.000Z'), recordsDeleted: 1 },
    });

    // A second run at the same time finds nothing more and records nothing.
    const again = await runtime.retention.runOnce(NOW);
    expect(again.filter((r) => r.tenantId === short || r.tenantId === standard)).toEqual([]);
    expect(await connection.collection('events').countDocuments({ tenantId: short, type: 'billing.RetentionPurged' })).toBe(1);
  });
});
