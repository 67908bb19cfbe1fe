// Over HTTP and gRPC against real FerretDB: does every member route refuse acting on an equal or higher rank (403 {error, message}), and does ownership change hands only by an offer the admin accepts, on the record?
import type { Connection } from 'mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventsV1, tenantV1 } from '@enclave/proto';
import { createGrpcClient, createHttpApp, generateServiceKeypair, GrpcStatus, loadServiceIdentity, ServiceTrust } from '@enclave/platform';
import { testSessions, type Role } from '@enclave/session';
import { AppModule } from '../app.module';
import type Redis from 'ioredis';
import { connectTestDb, quietLogger, serviceKeys, startAuthDouble, testRedis, testSignUpGate } from '../test-support/tenant-test-kit.helper.spec';
import { TenantRuntime } from './tenant-runtime';

jest.setTimeout(60_000);

const sessions = testSessions();
const keys = serviceKeys();
const audit = generateServiceKeypair();
let connection: Connection;
let auth: Awaited<ReturnType<typeof startAuthDouble>>;
let runtime: TenantRuntime;
let app: NestFastifyApplication;
let redis: Redis;

beforeAll(async () => {
  connection = await connectTestDb('tenant-ranks');
  auth = await startAuthDouble(keys);
  const trust = new ServiceTrust({ audit: audit.publicKey, 'chat-gateway': keys.chatGateway.publicKey, auth: keys.auth.publicKey });
  runtime = new TenantRuntime({ connection, logger: quietLogger(), accounts: auth.registry, defaultModel: 'gpt-4o-mini', grpc: { host: '127.0.0.1', port: 0, trust } });
  await runtime.start();
  redis = testRedis();
  app = await createHttpApp(AppModule.forRoot({ runtime, signUpGate: testSignUpGate(redis), session: { verifier: sessions.verifier } }), { logger: quietLogger(), handleSignals: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});

afterAll(async () => {
  await app?.close();
  redis?.disconnect();
  await runtime?.stop();
  await auth?.stop();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, body?: unknown) {
  const res = await app.getHttpAdapter().getInstance().inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : {}) as Record<string, unknown> };
}

interface Person {
  id: string;
  token: string;
}

/** A tenant with its owner, two admins, a member and an auditor, each with a session. */
async function tenantWithStaff(name: string) {
  const { tenantId } = await runtime.createInstance.execute({ instanceName: name, adminEmail: `owner@${name}.example`, adminName: 'Olive' });
  const ownerId = (await runtime.queries.members(tenantId))[0]!.subjectId;
  const as = (id: string, role: Role): Person => ({ id, token: sessions.mint({ tenantId, subjectId: id, role }).token });
  const owner = as(ownerId, 'owner');
  const add = async (local: string, role: 'admin' | 'member' | 'auditor') => {
    const res = await call('POST', `/v1/tenants/${tenantId}/members`, owner.token, { email: `${local}@${name}.example`, role });
    expect(res.status).toBe(201);
    return as(res.body.subjectId as string, role);
  };
  return { tenantId, owner, admin: await add('adam', 'admin'), admin2: await add('abby', 'admin'), member: await add('mia', 'member'), auditor: await add('aud', 'auditor'), as };
}

const expectRefused = (res: { status: number; body: Record<string, unknown> }, message: RegExp) => {
  expect(res.status).toBe(403);
  expect(res.body).toEqual({ error: 'forbidden', message: expect.stringMatching(message) });
};

describe('members routes rank the actor by their current role', () => {
  let t: Awaited<ReturnType<typeof tenantWithStaff>>;
  beforeAll(async () => {
    t = await tenantWithStaff('ranks');
  });
  const members = (suffix = '') => `/v1/tenants/${t.tenantId}/members${suffix}`;

  it('403: an admin may not add an admin', async () => {
    expectRefused(await call('POST', members(), t.admin.token, { email: 'new@ranks.example', role: 'admin' }), /only roles below your own/);
  });

  it("403: an admin may not remove or demote another admin, nor touch the owner's role", async () => {
    expectRefused(await call('DELETE', members(`/${t.admin2.id}`), t.admin.token), /equal or higher rank/);
    expectRefused(await call('PATCH', members(`/${t.admin2.id}`), t.admin.token, { role: 'member' }), /equal or higher rank/);
    expectRefused(await call('PATCH', members(`/${t.owner.id}`), t.admin.token, { role: 'member' }), /nobody but the owner/);
    expect((await call('DELETE', members(`/${t.owner.id}`), t.admin.token)).status).toBe(400);
  });

  it('200: an admin moves a member to auditor; the owner promotes and demotes admins', async () => {
    expect(await call('PATCH', members(`/${t.member.id}`), t.admin.token, { role: 'auditor' })).toEqual({ status: 200, body: { subjectId: t.member.id, role: 'auditor', changed: true } });
    expect((await call('PATCH', members(`/${t.member.id}`), t.owner.token, { role: 'admin' })).status).toBe(200);
    expect((await call('PATCH', members(`/${t.member.id}`), t.owner.token, { role: 'member' })).status).toBe(200);
    const list = await call('GET', members(), t.owner.token);
    expect((list.body.members as Array<{ subjectId: string; role: string }>).find((m) => m.subjectId === t.member.id)?.role).toBe('member');
  });

  it('400 for the role owner or an unknown role in a change; 404 for someone who is not a member', async () => {
    expect((await call('PATCH', members(`/${t.member.id}`), t.owner.token, { role: 'owner' })).status).toBe(400);
    expect((await call('PATCH', members(`/${t.member.id}`), t.owner.token, { role: 'root' })).status).toBe(400);
    expect((await call('PATCH', members('/sub-nobody'), t.owner.token, { role: 'member' })).status).toBe(404);
  });

  it('403: once demoted or removed, an admin session claim acts on no one', async () => {
    const demoted = await call('PATCH', members(`/${t.admin2.id}`), t.owner.token, { role: 'member' });
    expect(demoted.status).toBe(200);
    expectRefused(await call('DELETE', members(`/${t.auditor.id}`), t.admin2.token), /equal or higher rank/);
    expect((await call('DELETE', members(`/${t.admin2.id}`), t.owner.token)).status).toBe(204);
    expectRefused(await call('POST', members(), t.admin2.token, { email: 'x@ranks.example', role: 'member' }), /not a member/);
  });
});

describe('ownership transfer', () => {
  let t: Awaited<ReturnType<typeof tenantWithStaff>>;
  beforeAll(async () => {
    t = await tenantWithStaff('handover');
  });
  const transfer = (suffix = '') => `/v1/tenants/${t.tenantId}/ownership-transfer${suffix}`;

  it('403 for an offer by an admin, or to a member', async () => {
    expectRefused(await call('POST', transfer(), t.admin.token, { toSubjectId: t.admin2.id }), /only the owner/);
    expectRefused(await call('POST', transfer(), t.owner.token, { toSubjectId: t.member.id }), /only to an admin/);
  });

  it('is offered, accepted by the admin named (no one else), swaps the roles and is on the tenant stream', async () => {
    expect(await call('POST', transfer(), t.owner.token, { toSubjectId: t.admin.id })).toEqual({
      status: 201,
      body: { status: 'proposed', fromSubjectId: t.owner.id, toSubjectId: t.admin.id },
    });
    expect((await call('GET', transfer(), t.admin2.token)).body).toEqual({ pending: { fromSubjectId: t.owner.id, toSubjectId: t.admin.id } });
    expect((await call('POST', transfer('/accept'), t.admin2.token)).status).toBe(404);
    expect((await call('POST', transfer('/accept'), t.owner.token)).status).toBe(404);

    const accepted = await call('POST', transfer('/accept'), t.admin.token);
    expect(accepted).toEqual({ status: 200, body: { status: 'transferred', ownerSubjectId: t.admin.id, previousOwnerSubjectId: t.owner.id } });
    const roles = Object.fromEntries(((await call('GET', `/v1/tenants/${t.tenantId}/members`, t.admin.token)).body.members as Array<{ subjectId: string; role: string }>).map((m) => [m.subjectId, m.role]));
    expect(roles[t.admin.id]).toBe('owner');
    expect(roles[t.owner.id]).toBe('admin');
    expect((await call('GET', transfer(), t.admin.token)).body).toEqual({ pending: null });

    const stream = await runtime.store.readStream(`tenant-${t.tenantId}`, { tenantId: t.tenantId as never });
    const tail = stream.slice(-4);
    expect(tail.map((e) => e.type)).toEqual(['tenant.OwnershipTransferProposed', 'tenant.OwnershipTransferred', 'tenant.MemberRoleChanged', 'tenant.MemberRoleChanged']);
    expect(tail[0]!.actor).toEqual({ kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: t.owner.id, role: 'owner' });
    expect(tail[1]!.actor).toMatchObject({ kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: t.admin.id });
    expect(tenantV1.TenantEvent.decode(tail[1]!.payload).event).toEqual({ $case: 'ownershipTransferred', value: { fromSubjectId: t.owner.id, toSubjectId: t.admin.id } });
  });

  it('leaves the former owner an admin, still holding an owner session that no longer outranks anyone it did', async () => {
    // t.owner's session still claims owner; the tenant ranks by the stream: an admin now.
    expectRefused(await call('PATCH', `/v1/tenants/${t.tenantId}/members/${t.admin2.id}`, t.owner.token, { role: 'member' }), /equal or higher rank/);
    expectRefused(await call('POST', transfer(), t.owner.token, { toSubjectId: t.admin2.id }), /only the owner/);
    const newOwner = t.as(t.admin.id, 'owner');
    expect((await call('PATCH', `/v1/tenants/${t.tenantId}/members/${t.owner.id}`, newOwner.token, { role: 'member' })).status).toBe(200);
  });

  it('is withdrawn by the owner or declined by the admin; 404 when there is none', async () => {
    const newOwner = t.as(t.admin.id, 'owner');
    expect((await call('POST', transfer(), newOwner.token, { toSubjectId: t.admin2.id })).status).toBe(201);
    expect((await call('DELETE', transfer(), t.admin2.token)).status).toBe(204);
    expect((await call('POST', transfer('/accept'), t.admin2.token)).status).toBe(404);
    expect((await call('DELETE', transfer(), newOwner.token)).status).toBe(404);
  });
});

describe('MemberDirectoryService.GetMemberRoles', () => {
  const privateKeys = { audit: audit.privateKey, 'chat-gateway': keys.chatGateway.privateKey, auth: keys.auth.privateKey };
  const client = (service: 'audit' | 'chat-gateway' | 'auth') =>
    createGrpcClient(tenantV1.MemberDirectoryServiceClient, `127.0.0.1:${runtime.grpcPort}`, {
      identity: loadServiceIdentity(service, privateKeys[service]),
      audience: 'tenant',
      defaultDeadlineMs: 5000,
    });

  it('answers audit and chat-gateway with the current role of each active member asked about, leaving others out', async () => {
    const t = await tenantWithStaff('directory');
    expect((await call('DELETE', `/v1/tenants/${t.tenantId}/members/${t.auditor.id}`, t.owner.token)).status).toBe(204);
    for (const service of ['audit', 'chat-gateway'] as const) {
      const c = client(service);
      const answer = await c.call('getMemberRoles', { tenantId: t.tenantId, subjectIds: [t.owner.id, t.admin.id, t.auditor.id, 'sub-unknown'] });
      c.close();
      expect(answer.members).toEqual([
        { subjectId: t.owner.id, role: 'owner' },
        { subjectId: t.admin.id, role: 'admin' },
      ]);
    }
  });

  it('refuses other services (auth), and malformed or oversized requests', async () => {
    const other = client('auth');
    await expect(other.call('getMemberRoles', { tenantId: '01890000-0000-7000-8000-000000000000', subjectIds: ['s'] })).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    other.close();
    const c = client('audit');
    const tenantId = '01890000-0000-7000-8000-000000000000';
    await expect(c.call('getMemberRoles', { tenantId: 'x.y', subjectIds: ['s'] })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(c.call('getMemberRoles', { tenantId, subjectIds: [] })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(c.call('getMemberRoles', { tenantId, subjectIds: Array.from({ length: 11 }, (_, i) => `s${i}`) })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(c.call('getMemberRoles', { tenantId, subjectIds: ['bad id'] })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    c.close();
  });
});
