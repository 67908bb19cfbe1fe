// Against real FerretDB and Kafka: does SubjectPurgeRequested on audit's topic remove the person from the tenant (owner included), delete their member rows for good, confirm once per request under redelivery, and does ExportSubjectData answer audit only?
import type { Connection } from 'mongoose';
import type { Kafka, Producer } from 'kafkajs';
import { eventsV1, privacyV1, TOPICS } from '@enclave/proto';
import { buildEnvelope, defineTopic, tenantId as toTenantId, toKafkaMessage } from '@enclave/eventing';
import { createGrpcClient, GrpcStatus, loadServiceIdentity, ServiceTrust, uuidv7 } from '@enclave/platform';
import { uniqueName, waitFor } from '@enclave/testing';
import { subjectPurgeStreamId } from '../application';
import { EventStoreTenantStream } from '../infrastructure/event-store-tenant-stream';
import { connectTestDb, quietLogger, serviceKeys, startAuthDouble, testKafka } from '../test-support/tenant-test-kit.helper.spec';
import { TenantRuntime } from './tenant-runtime';

jest.setTimeout(90_000);

const keys = { ...serviceKeys(), audit: serviceKeys().auth };
const AUDIT = defineTopic(`${TOPICS.audit.name}.${uniqueName('t')}`, TOPICS.audit.codec);
let connection: Connection;
let kafka: Kafka;
let producer: Producer;
let auth: Awaited<ReturnType<typeof startAuthDouble>>;
let runtime: TenantRuntime;

beforeAll(async () => {
  connection = await connectTestDb('tenant-privacy');
  kafka = testKafka();
  auth = await startAuthDouble(keys);
  runtime = new TenantRuntime({
    connection,
    logger: quietLogger(),
    accounts: auth.registry,
    defaultModel: 'gpt-4o-mini',
    kafka: { client: kafka, consumerGroup: uniqueName('tenant-privacy'), auditTopic: AUDIT.name },
    grpc: {
      host: '127.0.0.1',
      port: 0,
      trust: new ServiceTrust({ audit: keys.audit.publicKey, 'chat-gateway': keys.chatGateway.publicKey }),
    },
  });
  await runtime.start();
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await runtime?.stop();
  await auth?.stop();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

async function requestPurge(tenantId: string, subjectId: string, requestId: string): Promise<string> {
  const envelope = buildEnvelope(
    AUDIT,
    { event: { $case: 'subjectPurgeRequested', value: { requestId, subjectId } } },
    { type: 'audit.SubjectPurgeRequested', tenantId: toTenantId(tenantId), subjectId, actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'audit', role: '' } },
  );
  await producer.send({ topic: AUDIT.name, acks: -1, messages: [toKafkaMessage(envelope)] });
  return envelope.id;
}

const confirmation = (tenantId: string, requestId: string) =>
  runtime.store.readStream(subjectPurgeStreamId(requestId), { tenantId: toTenantId(tenantId) });
const memberRows = (tenantId: string, subjectId: string) => connection.collection('tenant_members').find({ tenantId, subjectId }).toArray();

const exportAs = (service: 'audit' | 'chat-gateway') =>
  createGrpcClient(privacyV1.SubjectDataServiceClient, `127.0.0.1:${runtime.grpcPort}`, {
    identity: loadServiceIdentity(service, service === 'audit' ? keys.audit.privateKey : keys.chatGateway.privateKey),
    audience: 'tenant',
    defaultDeadlineMs: 5000,
  });

describe('a member is erased', () => {
  let tenantId: string;
  let alice: string;
  const requestId = uuidv7();

  beforeAll(async () => {
    ({ tenantId } = await runtime.createInstance.execute({ instanceName: 'Acme', adminEmail: 'owner@acme.example', adminName: 'Olive' }));
    const owner = (await runtime.queries.members(tenantId))[0]!.subjectId;
    ({ subjectId: alice } = await runtime.addMember.execute({
      tenantId,
      email: 'alice@acme.example',
      name: 'Alice',
      role: 'member',
      actor: { kind: 'person', subjectId: owner, role: 'owner' },
    }));
  });

  it('exports the membership to audit as JSON', async () => {
    const client = exportAs('audit');
    const response = await client.call('exportSubjectData', { tenantId, subjectId: alice });
    client.close();
    expect(response.service).toBe('tenant');
    const document = JSON.parse(response.documentJson);
    expect(document).toEqual({ tenantId, subjectId: alice, memberships: [{ role: 'member', addedAt: expect.any(String), active: true }] });
    expect(Number.isNaN(Date.parse(document.memberships[0].addedAt))).toBe(false);
  });

  it('refuses the export to chat-gateway with PERMISSION_DENIED, and a malformed id with INVALID_ARGUMENT', async () => {
    const gateway = exportAs('chat-gateway');
    await expect(gateway.call('exportSubjectData', { tenantId, subjectId: alice })).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    gateway.close();
    const audit = exportAs('audit');
    await expect(audit.call('exportSubjectData', { tenantId, subjectId: '' })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(audit.call('exportSubjectData', { tenantId: 'x$', subjectId: alice })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    audit.close();
  });

  it('removes the member (actor: service tenant), deletes the row and confirms with the count', async () => {
    await requestPurge(tenantId, alice, requestId);
    const [confirmed] = await waitFor(async () => ((await confirmation(tenantId, requestId)).length > 0 ? confirmation(tenantId, requestId) : undefined), {
      timeoutMs: 45_000,
      description: 'SubjectDataPurged',
    });
    expect(confirmed).toMatchObject({ type: 'tenant.SubjectDataPurged', subjectId: alice, version: 1 });
    expect(confirmed!.actor).toEqual({ kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'tenant', role: '' });
    const payload = TOPICS.tenant.codec.decode(confirmed!.payload);
    expect(payload.event).toEqual({ $case: 'subjectDataPurged', value: { requestId, subjectId: alice, recordsDeleted: 1 } });

    const stream = await runtime.store.readStream(`tenant-${tenantId}`, { tenantId: toTenantId(tenantId) });
    const removal = stream.find((e) => e.type === 'tenant.MemberRemoved');
    expect(removal).toMatchObject({ subjectId: alice, actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'tenant' } });
    expect(await memberRows(tenantId, alice)).toEqual([]);
    expect((await runtime.queries.members(tenantId)).map((m) => m.subjectId)).not.toContain(alice);
  });

  it('confirms once when the request is delivered again, and the purge stays a no-op', async () => {
    const eventId = await requestPurge(tenantId, alice, requestId);
    const again = await runtime.purgeSubject.execute({ tenantId, requestId, subjectId: alice });
    expect(again).toEqual({ confirmed: false, recordsDeleted: 0 });
    // The redelivery went through the consumer too: wait until its marker is there, then count.
    await waitFor(async () => ((await connection.collection('processed_events').findOne({ eventId })) ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the redelivered request to be processed',
    });
    expect(await confirmation(tenantId, requestId)).toHaveLength(1);
    const removals = (await runtime.store.readStream(`tenant-${tenantId}`, { tenantId: toTenantId(tenantId) })).filter((e) => e.type === 'tenant.MemberRemoved');
    expect(removals).toHaveLength(1);
  });

  it('does not write the row back when an earlier member event of the person is replayed', async () => {
    const stream = await runtime.store.readStream(`tenant-${tenantId}`, { tenantId: toTenantId(tenantId) });
    const added = stream.find((e) => e.type === 'tenant.MemberAdded' && e.subjectId === alice)!;
    const removed = stream.find((e) => e.type === 'tenant.MemberRemoved' && e.subjectId === alice)!;
    await runtime.projections.apply([
      { tenantId, version: added.version, occurredAt: added.occurredAt, event: { type: 'MemberAdded', subjectId: alice, role: 'member' } },
      { tenantId, version: removed.version, occurredAt: removed.occurredAt, event: { type: 'MemberRemoved', subjectId: alice } },
    ]);
    expect(await memberRows(tenantId, alice)).toEqual([]);
  });

  it('exports an empty membership list afterwards', async () => {
    const client = exportAs('audit');
    const response = await client.call('exportSubjectData', { tenantId, subjectId: alice });
    client.close();
    expect(JSON.parse(response.documentJson)).toEqual({ tenantId, subjectId: alice, memberships: [] });
  });
});

describe('the owner is erased', () => {
  it('removes the owner, keeps the tenant, its settings and its admins working', async () => {
    const { tenantId } = await runtime.createInstance.execute({ instanceName: 'Solo', adminEmail: 'solo@acme.example', adminName: 'Sol' });
    const owner = (await runtime.queries.members(tenantId))[0]!.subjectId;
    const { subjectId: admin } = await runtime.addMember.execute({
      tenantId,
      email: 'admin@acme.example',
      name: 'Ad',
      role: 'admin',
      actor: { kind: 'person', subjectId: owner, role: 'owner' },
    });
    const outcome = await runtime.purgeSubject.execute({ tenantId, requestId: uuidv7(), subjectId: owner });
    expect(outcome).toEqual({ confirmed: true, recordsDeleted: 1 });
    expect(await memberRows(tenantId, owner)).toEqual([]);
    expect((await runtime.queries.members(tenantId)).map((m) => [m.subjectId, m.role])).toEqual([[admin, 'admin']]);
    const { state } = await new EventStoreTenantStream(runtime.store).load(tenantId);
    expect(state.ownerSubjectId).toBe('');
    const view = await runtime.changeSettings.execute({ tenantId, changes: { instanceName: 'Solo Renamed' }, actor: { kind: 'person', subjectId: admin, role: 'admin' } });
    expect(view.settings.instanceName).toBe('Solo Renamed');
  });

  it('confirms a request for a tenant it does not know with 0 records', async () => {
    const outcome = await runtime.purgeSubject.execute({ tenantId: uuidv7(), requestId: uuidv7(), subjectId: 'sub-unknown' });
    expect(outcome).toEqual({ confirmed: true, recordsDeleted: 0 });
  });
});
