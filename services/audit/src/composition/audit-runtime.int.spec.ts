// Against real Kafka and FerretDB: do events of two tenants from several topics become two independent, gap-free hash chains (a duplicated or redelivered event once), that verify intact, record their own queries and verifications, and name the seq of a stored entry altered or removed behind the service's back?
import type { Connection } from 'mongoose';
import type { Kafka, Producer } from 'kafkajs';
import { eventsV1, TOPICS } from '@enclave/proto';
import { defineTopic, type Actor, type TenantId } from '@enclave/eventing';
import { uniqueName, waitFor } from '@enclave/testing';
import { connectTestDb, memberAdded, newTenantId, publish, quietLogger, quotaSet, testKafka, testSigningKey, usageRecorded } from '../test-support/audit-test-kit.helper.spec';
import { AuditRuntime } from './audit-runtime';

jest.setTimeout(90_000);

let connection: Connection;
let kafka: Kafka;
let producer: Producer;
let runtime: AuditRuntime;
const auditor: Actor = { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: 'sub-auditor', role: 'auditor' };
const tenantA = newTenantId();
const tenantB = newTenantId();

const suffix = `.${uniqueName('t')}`;
const tenantTopic = defineTopic(TOPICS.tenant.name + suffix, TOPICS.tenant.codec);
const gatewayTopic = defineTopic(TOPICS.chatGateway.name + suffix, TOPICS.chatGateway.codec);
const billingTopic = defineTopic(TOPICS.billing.name + suffix, TOPICS.billing.codec);
const entries = () => connection.collection('audit_entries');

/** The group has committed every partition of the topics up to their end. */
async function caughtUp(groupId: string, topics: string[]): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const { partition, high } of ends) {
        const at = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        if (Number(high) > 0 && Number(at) < Number(high)) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}
const chain = (tenant: string) => entries().find({ tenantId: tenant }).sort({ seq: 1 }).toArray();

beforeAll(async () => {
  connection = await connectTestDb('audit-int');
  kafka = testKafka();
  runtime = new AuditRuntime({
    connection,
    logger: quietLogger(),
    verifyPageSize: 2,
    checkpoints: { signingKey: testSigningKey() },
    kafka: { client: kafka, groupId: uniqueName('audit'), topicSuffix: suffix },
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
});

describe('two tenants, several topics', () => {
  let duplicated: ReturnType<typeof memberAdded>;

  beforeAll(async () => {
    duplicated = memberAdded(tenantTopic, tenantA, 'sub-admin-a', 'sub-ann');
    await publish(producer, tenantTopic.name, duplicated, memberAdded(tenantTopic, tenantB, 'sub-admin-b', 'sub-bea'));
    await publish(producer, gatewayTopic.name, usageRecorded(gatewayTopic, tenantA, 'sub-ann', 10));
    await publish(producer, billingTopic.name, quotaSet(billingTopic, tenantA, 5000), quotaSet(billingTopic, tenantB, 7000));
    await publish(producer, tenantTopic.name, duplicated); // the same envelope again
    await publish(producer, tenantTopic.name, memberAdded(tenantTopic, tenantA, 'sub-admin-a', 'sub-abe'));
    await waitFor(async () => (await chain(tenantA)).length === 4 && (await chain(tenantB)).length === 2, {
      description: 'four entries for A and two for B',
      timeoutMs: 30_000,
    });
  });

  it('gives each tenant its own chain starting at seq 1 on the genesis hash', async () => {
    const a = await chain(tenantA);
    const b = await chain(tenantB);
    expect(a.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(b.map((e) => e.seq)).toEqual([1, 2]);
    expect(a[0]!.prevHash).toBe('0'.repeat(64));
    expect(b[0]!.prevHash).toBe('0'.repeat(64));
    expect(a[1]!.prevHash).toBe(a[0]!.hash);
  });

  it('keeps the duplicated event once', async () => {
    expect(await entries().countDocuments({ eventId: duplicated.id })).toBe(1);
  });

  it('keeps every event once when all topics are redelivered: a fresh consumer group replays them into the same log', async () => {
    const snapshot = async () => (await entries().find({ tenantId: { $in: [tenantA, tenantB] } }).sort({ tenantId: 1, seq: 1 }).toArray()).map((e) => [e.tenantId, e.seq, e.eventId, e.hash]);
    const before = await snapshot();
    const groupId = uniqueName('audit-replay');
    const replay = new AuditRuntime({ connection, logger: quietLogger(), checkpoints: { signingKey: testSigningKey() }, kafka: { client: kafka, groupId, topicSuffix: suffix } });
    await replay.start();
    try {
      await waitFor(() => caughtUp(groupId, [tenantTopic.name, gatewayTopic.name, billingTopic.name]), { description: 'the replay group to reach the end of every topic', timeoutMs: 60_000 });
    } finally {
      await replay.stop();
    }
    expect(await snapshot()).toEqual(before);
    expect(await entries().countDocuments({ eventId: duplicated.id })).toBe(1);
    expect((await chain(tenantA)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('records service, type, actor, subject and the canonical payload of each event', async () => {
    const a = await chain(tenantA);
    const added = a.find((e) => e.eventId === duplicated.id)!;
    expect(added).toMatchObject({
      tenantId: tenantA,
      service: 'tenant',
      type: 'tenant.MemberAdded',
      actor: { kind: 'person', id: 'sub-admin-a', role: 'admin' },
      subjectId: 'sub-ann',
      payload: '{"memberAdded":{"role":"member","subjectId":"sub-ann"}}',
    });
    expect(new Date(added.occurredAt).getTime()).toBe(Number(duplicated.occurredAtMs));
    expect(a.map((e) => e.service).sort()).toEqual(['billing', 'chat-gateway', 'tenant', 'tenant']);
    expect(a.find((e) => e.service === 'billing')!.actor).toEqual({ kind: 'service', id: 'billing', role: '' });
  });

  it('verifies both chains intact, across pages', async () => {
    await expect(runtime.verifyLog.execute(tenantA as TenantId, auditor)).resolves.toEqual({ intact: true, entriesChecked: 4, checkpointsChecked: 0, latestCheckpoint: null });
    await expect(runtime.verifyLog.execute(tenantB as TenantId, auditor)).resolves.toEqual({ intact: true, entriesChecked: 2, checkpointsChecked: 0, latestCheckpoint: null });
  });

  it('logs its own verification and query: audit.* events relayed through enclave.audit.events.v1 into the chain', async () => {
    const page = await runtime.queryTrail.execute(tenantA as TenantId, { type: 'tenant.MemberAdded', limit: 10 }, auditor);
    expect(page.entries.map((e) => e.subjectId)).toEqual(['sub-ann', 'sub-abe']);
    const own = await waitFor(
      async () => {
        const a = await chain(tenantA);
        const types = a.map((e) => e.type);
        return types.includes('audit.AuditLogVerified') && types.includes('audit.AuditTrailQueried') ? a : false;
      },
      { description: 'the audit events of tenant A in its chain', timeoutMs: 30_000 },
    );
    const verified = own.find((e) => e.type === 'audit.AuditLogVerified')!;
    expect(verified).toMatchObject({ service: 'audit', actor: { kind: 'person', id: 'sub-auditor', role: 'auditor' } });
    expect(JSON.parse(verified.payload)).toEqual({ auditLogVerified: { intact: true, entriesChecked: 4, firstBrokenSeq: 0, fromSeq: 0, toSeq: 0 } });
    const queried = own.find((e) => e.type === 'audit.AuditTrailQueried')!;
    expect(JSON.parse(queried.payload)).toEqual({
      auditTrailQueried: { filterSummary: '{"limit":10,"type":"tenant.MemberAdded"}', resultCount: 2 },
    });
    await expect(runtime.verifyLog.execute(tenantA as TenantId, auditor)).resolves.toMatchObject({ intact: true });
  });

  it('names the seq of an entry altered in the database, leaving the other tenant intact', async () => {
    const target = (await chain(tenantA))[1]!;
    await entries().updateOne({ _id: target._id }, { $set: { payload: '{"forged":true}' } });
    const result = await runtime.verifyLog.execute(tenantA as TenantId, auditor);
    expect(result).toMatchObject({ intact: false, firstBroken: { seq: 2, eventId: target.eventId, reason: 'hash_mismatch' } });
    await expect(runtime.verifyLog.execute(tenantB as TenantId, auditor)).resolves.toMatchObject({ intact: true });
  });

  it('names the entry after one removed from the database: sequence_gap', async () => {
    const b = await chain(tenantB);
    await entries().deleteOne({ _id: b[0]!._id });
    await expect(runtime.verifyLog.execute(tenantB as TenantId, auditor)).resolves.toEqual({
      intact: false,
      entriesChecked: 1,
      checkpointsChecked: 0,
      latestCheckpoint: null,
      firstBroken: { seq: 2, eventId: b[1]!.eventId, reason: 'sequence_gap' },
    });
  });
});
