// Against real FerretDB and Kafka: does creating and changing a tenant append the events in order, relay them to enclave.tenant.events.v1, and serve the settings projection over gRPC only to allowed callers?
import type { Connection } from 'mongoose';
import type { Consumer, Kafka } from 'kafkajs';
import { eventsV1, tenantV1 } from '@enclave/proto';
import { createGrpcClient, GrpcStatus, loadServiceIdentity } from '@enclave/platform';
import { uniqueName, waitFor } from '@enclave/testing';
import { EventStoreTenantStream } from '../infrastructure/event-store-tenant-stream';
import { connectTestDb, quietLogger, serviceKeys, startAuthDouble, tenantTrust, testKafka } from '../test-support/tenant-test-kit.helper.spec';
import { TenantRuntime } from './tenant-runtime';

// Broker group joins and leaves take seconds; the project-level testTimeout does not reach hooks.
jest.setTimeout(60_000);

const keys = serviceKeys();
let connection: Connection;
let kafka: Kafka;
let auth: Awaited<ReturnType<typeof startAuthDouble>>;
let runtime: TenantRuntime;
let topicConsumer: Consumer;
const seen: Array<{ key: string; envelope: eventsV1.EventEnvelope; raw: Buffer }> = [];

const grpcAs = (service: 'chat-gateway' | 'billing' | 'auth') => {
  const pair = service === 'chat-gateway' ? keys.chatGateway : service === 'billing' ? keys.billing : keys.auth;
  return createGrpcClient(tenantV1.TenantServiceClient, `127.0.0.1:${runtime.grpcPort}`, {
    identity: loadServiceIdentity(service, pair.privateKey),
    audience: 'tenant',
    defaultDeadlineMs: 5000,
  });
};

beforeAll(async () => {
  connection = await connectTestDb('tenant-int');
  kafka = testKafka();
  auth = await startAuthDouble(keys);
  runtime = new TenantRuntime({
    connection,
    logger: quietLogger(),
    accounts: auth.registry,
    defaultModel: 'gpt-4o-mini',
    kafka: { client: kafka, consumerGroup: uniqueName('tenant-projections'), auditTopic: `enclave.audit.events.v1.${uniqueName('t')}` },
    grpc: { host: '127.0.0.1', port: 0, trust: tenantTrust(keys) },
  });
  await runtime.start();
  topicConsumer = kafka.consumer({ groupId: uniqueName('tenant-int-reader') });
  await topicConsumer.connect();
  await topicConsumer.subscribe({ topic: 'enclave.tenant.events.v1', fromBeginning: true });
  await topicConsumer.run({
    eachMessage: async ({ message }) => {
      const raw = message.value!;
      seen.push({ key: message.key!.toString(), envelope: eventsV1.EventEnvelope.decode(raw), raw });
    },
  });
});

afterAll(async () => {
  await topicConsumer?.disconnect();
  await runtime?.stop();
  await auth?.stop();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

describe('a new instance', () => {
  let tenantId: string;

  beforeAll(async () => {
    ({ tenantId } = await runtime.createInstance.execute({ instanceName: 'Acme', adminEmail: 'owner@acme.example', adminName: 'Olive Owner' }));
  });

  it('registered the owner in auth with tenant identity', () => {
    expect(auth.calls).toEqual([{ caller: 'tenant', tenantId, email: 'owner@acme.example', displayName: 'Olive Owner' }]);
  });

  it('appended InstanceCreated, MemberAdded(owner), SettingsChanged as versions 1-3 of tenant-<id>', async () => {
    const events = await runtime.store.readStream(`tenant-${tenantId}`, { tenantId: tenantId as never });
    expect(events.map((e) => [e.version, e.type])).toEqual([
      [1, 'tenant.InstanceCreated'],
      [2, 'tenant.MemberAdded'],
      [3, 'tenant.SettingsChanged'],
    ]);
    const owner = events[1]!.subjectId;
    expect(owner).toMatch(/^sub-/);
    expect(events[0]!.actor).toEqual({ kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: owner, role: 'owner' });
    expect(tenantV1.TenantEvent.decode(events[1]!.payload).event).toEqual({ $case: 'memberAdded', value: { subjectId: owner, role: 'owner' } });
    expect(tenantV1.TenantEvent.decode(events[2]!.payload).event).toMatchObject({
      $case: 'settingsChanged',
      value: { settings: { instanceName: 'Acme', messageLogging: false, defaultModel: 'gpt-4o-mini' } },
    });
  });

  it('relays them to enclave.tenant.events.v1 keyed by tenant, in order, without the email', async () => {
    const mine = await waitFor(() => {
      const list = seen.filter((m) => m.key === tenantId);
      return list.length >= 3 && list;
    }, { timeoutMs: 30_000, description: 'three tenant events on the topic' });
    expect(mine.map((m) => [m.envelope.type, m.envelope.streamVersion])).toEqual([
      ['tenant.InstanceCreated', 1],
      ['tenant.MemberAdded', 2],
      ['tenant.SettingsChanged', 3],
    ]);
    expect(mine.every((m) => m.envelope.tenantId === tenantId && m.envelope.streamId === `tenant-${tenantId}`)).toBe(true);
    expect(mine.some((m) => m.raw.includes('owner@acme.example') || m.raw.includes('Olive Owner'))).toBe(false);
    // The relay clears its outbox claim after Kafka acknowledged the send, so a consumer can see
    // the events a moment before the claim is gone.
    await waitFor(async () => (await runtime.store.unpublished(100)).every((e) => e.tenantId !== tenantId), {
      timeoutMs: 30_000,
      description: 'the relay to clear the outbox claims of this tenant',
    });
  });

  it('answers GetTenantSettings to chat-gateway and auth from the projection', async () => {
    for (const caller of ['chat-gateway', 'auth'] as const) {
      const client = grpcAs(caller);
      const response = await client.call('getTenantSettings', { tenantId });
      client.close();
      expect(response).toEqual({
        tenantId,
        version: 3,
        settings: {
          instanceName: 'Acme',
          systemInstruction: '',
          messageLogging: false,
          privacyPolicyUrl: '',
          defaultModel: 'gpt-4o-mini',
          allowedModels: [],
          messageLoggingNoticeVersion: '',
          retention: { conversationDays: 0, securityLogDays: 90, usageDetailDays: 365 },
        },
      });
    }
  });

  it('refuses a trusted service that is not an allowed caller with PERMISSION_DENIED', async () => {
    const client = grpcAs('billing');
    await expect(client.call('getTenantSettings', { tenantId })).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    client.close();
  });

  it('answers NOT_FOUND for an unknown tenant and INVALID_ARGUMENT for an empty or malformed id', async () => {
    const client = grpcAs('chat-gateway');
    await expect(client.call('getTenantSettings', { tenantId: '01890000-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    await expect(client.call('getTenantSettings', { tenantId: '' })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(client.call('getTenantSettings', { tenantId: 'a.b$c' })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    client.close();
  });

  it('changes settings, adds and removes members, with projections following', async () => {
    const { state } = await new EventStoreTenantStream(runtime.store).load(tenantId);
    const actor = { kind: 'person' as const, subjectId: state.ownerSubjectId, role: 'owner' as const };
    await runtime.changeSettings.execute({ tenantId, changes: { systemInstruction: 'Be brief.', allowedModels: ['gpt-4o-mini', 'gpt-4o'] }, actor });
    const added = await runtime.addMember.execute({ tenantId, email: 'alice@acme.example', name: 'Alice', role: 'member', actor });
    await runtime.addMember.execute({ tenantId, email: 'bob@acme.example', name: 'Bob', role: 'auditor', actor });
    await runtime.removeMember.execute({ tenantId, subjectId: added.subjectId, actor });

    const settings = await runtime.queries.settings(tenantId);
    expect(settings).toMatchObject({ version: 4, settings: { systemInstruction: 'Be brief.', allowedModels: ['gpt-4o-mini', 'gpt-4o'] } });
    const members = await runtime.queries.members(tenantId);
    expect(members.map((m) => m.role)).toEqual(['owner', 'auditor']);
    expect(members.every((m) => m.addedAt instanceof Date)).toBe(true);

    const types = await waitFor(() => {
      const list = seen.filter((m) => m.key === tenantId).map((m) => m.envelope.type);
      return list.length >= 7 && list;
    }, { timeoutMs: 30_000, description: 'seven tenant events on the topic' });
    expect(types.slice(3)).toEqual(['tenant.SettingsChanged', 'tenant.MemberAdded', 'tenant.MemberAdded', 'tenant.MemberRemoved']);
  });
});

it('repairs the projections from the topic when events were appended but never projected (a crash in between)', async () => {
  const tenantId = uniqueName('crash').replace(/[^A-Za-z0-9_-]/g, '');
  const stream = new EventStoreTenantStream(runtime.store);
  await stream.append(tenantId, 0, [
    { type: 'InstanceCreated', instanceName: 'Crashy', ownerSubjectId: 'sub-crash' },
    { type: 'MemberAdded', subjectId: 'sub-crash', role: 'owner' },
    { type: 'SettingsChanged', settings: { instanceName: 'Crashy', systemInstruction: '', messageLogging: true, messageLoggingNoticeVersion: '1', privacyPolicyUrl: '', defaultModel: 'm1', allowedModels: [] } },
  ], { kind: 'service', name: 'tenant' });
  expect(await runtime.projections.settings(tenantId)).toBeNull();
  runtime.relay!.nudge();
  const view = await waitFor(() => runtime.projections.settings(tenantId), { timeoutMs: 30_000, description: 'the consumer to project the settings' });
  expect(view).toMatchObject({ version: 3, settings: { instanceName: 'Crashy', messageLogging: true } });
  expect((await runtime.queries.members(tenantId)).map((m) => m.subjectId)).toEqual(['sub-crash']);
});

it('keeps projections right when events arrive twice or out of order (guarded by stream version)', async () => {
  const tenantId = uniqueName('order').replace(/[^A-Za-z0-9_-]/g, '');
  const settings = (defaultModel: string) => ({ instanceName: 'O', systemInstruction: '', messageLogging: false, messageLoggingNoticeVersion: '', privacyPolicyUrl: '', defaultModel, allowedModels: [] });
  const at = new Date('2030-01-01T00:00:00Z');
  const apply = (version: number, event: Parameters<typeof runtime.projections.apply>[0][number]['event']) =>
    runtime.projections.apply([{ tenantId, version, occurredAt: at, event }]);

  await apply(4, { type: 'SettingsChanged', settings: settings('newer') });
  await apply(3, { type: 'SettingsChanged', settings: settings('older') });
  await apply(4, { type: 'SettingsChanged', settings: settings('newer') });
  expect(await runtime.projections.settings(tenantId)).toMatchObject({ version: 4, settings: { defaultModel: 'newer' } });

  await apply(6, { type: 'MemberRemoved', subjectId: 'sub-x' });
  await apply(5, { type: 'MemberAdded', subjectId: 'sub-x', role: 'member' });
  await apply(2, { type: 'MemberAdded', subjectId: 'sub-y', role: 'admin' });
  await apply(2, { type: 'MemberAdded', subjectId: 'sub-y', role: 'admin' });
  expect((await runtime.queries.members(tenantId)).map((m) => [m.subjectId, m.role])).toEqual([['sub-y', 'admin']]);
});
