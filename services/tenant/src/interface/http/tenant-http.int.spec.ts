// Over HTTP, in process against real FerretDB and a real gRPC auth double: does every tenant endpoint answer 400/401/403/404 and success as specified, without echoing personal data?
import type { Connection } from 'mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@enclave/platform';
import { testSessions, type Role } from '@enclave/session';
import { AppModule } from '../../app.module';
import { TenantRuntime } from '../../composition/tenant-runtime';
import type Redis from 'ioredis';
import { connectTestDb, quietLogger, serviceKeys, startAuthDouble, testRedis, testSignUpGate } from '../../test-support/tenant-test-kit.helper.spec';

// Broker group joins and leaves take seconds; the project-level testTimeout does not reach hooks.
jest.setTimeout(60_000);

const sessions = testSessions();
let connection: Connection;
let auth: Awaited<ReturnType<typeof startAuthDouble>>;
let runtime: TenantRuntime;
let redis: Redis;
let app: NestFastifyApplication;

interface Reply {
  status: number;
  body: Record<string, unknown>;
  raw: string;
}

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, opts: { token?: string; body?: unknown; rawBody?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['content-type'] = 'application/json';
  const res = await app.getHttpAdapter().getInstance().inject({
    method,
    url,
    headers,
    ...(opts.rawBody !== undefined ? { payload: opts.rawBody } : opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
  });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {}, raw: res.body };
}

const tokenFor = (tenantId: string, role: Role, subjectId?: string) =>
  sessions.mint({ tenantId, role, ...(subjectId && { subjectId }) }).token;

beforeAll(async () => {
  connection = await connectTestDb('tenant-http');
  auth = await startAuthDouble(serviceKeys());
  runtime = new TenantRuntime({ connection, logger: quietLogger(), accounts: auth.registry, defaultModel: 'gpt-4o-mini' });
  redis = testRedis();
  app = await createHttpApp(AppModule.forRoot({ runtime, signUpGate: testSignUpGate(redis), session: { verifier: sessions.verifier } }), { logger: quietLogger(), handleSignals: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});

afterAll(async () => {
  await app?.close();
  await auth?.stop();
  redis?.disconnect();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

async function newInstance(name = 'Acme'): Promise<{ tenantId: string; ownerId: string; owner: string }> {
  const res = await call('POST', '/v1/instances', { body: { instanceName: name, adminEmail: `Admin+${name}@Acme.Example`, adminName: 'Ada Admin' } });
  expect(res.status).toBe(201);
  const tenantId = res.body.tenantId as string;
  const ownerId = (await runtime.queries.members(tenantId))[0]!.subjectId;
  return { tenantId, ownerId, owner: tokenFor(tenantId, 'owner', ownerId) };
}

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', checks: { mongo: 'ok' } });
  });
});

describe('POST /v1/instances', () => {
  it('201: creates the instance without a session and never echoes the email', async () => {
    const res = await call('POST', '/v1/instances', { body: { instanceName: '  Acme Corp ', adminEmail: ' Owner@Acme.Example ', adminName: 'Olive' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/), instanceName: 'Acme Corp' });
    expect(res.raw.toLowerCase()).not.toContain('owner@acme.example');
    expect(auth.calls.at(-1)).toMatchObject({ tenantId: res.body.tenantId, email: 'owner@acme.example', displayName: 'Olive' });
  });

  it.each<[string, unknown]>([
    ['a malformed email', { instanceName: 'A', adminEmail: 'not-an-email', adminName: 'N' }],
    ['an email over 254 characters', { instanceName: 'A', adminEmail: `${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.example`, adminName: 'N' }],
    ['a missing admin name', { instanceName: 'A', adminEmail: 'a@b.example' }],
    ['an empty instance name', { instanceName: '   ', adminEmail: 'a@b.example', adminName: 'N' }],
    ['a 101-character instance name', { instanceName: 'x'.repeat(101), adminEmail: 'a@b.example', adminName: 'N' }],
    ['an unknown field', { instanceName: 'A', adminEmail: 'a@b.example', adminName: 'N', role: 'owner' }],
    ['a non-object body', ['A']],
  ])('400 for %s', async (_label, body) => {
    const res = await call('POST', '/v1/instances', { body });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(typeof res.body.message).toBe('string');
  });

  it('400 for invalid JSON, and the message does not echo a submitted email', async () => {
    expect((await call('POST', '/v1/instances', { rawBody: '{"instanceName":' })).status).toBe(400);
    const res = await call('POST', '/v1/instances', { body: { instanceName: 'A', adminEmail: 'secret.person@@acme.example', adminName: 'N' } });
    expect(res.status).toBe(400);
    expect(res.raw).not.toContain('secret.person');
  });

  it('503 when auth is unavailable, and no tenant is created', async () => {
    auth.failNextCall();
    const res = await call('POST', '/v1/instances', { body: { instanceName: 'Down', adminEmail: 'a@down.example', adminName: 'N' } });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('unavailable');
  });
});

describe('GET /v1/tenants/:tenantId', () => {
  it('401 without a session and with a forged token', async () => {
    const { tenantId } = await newInstance('Get401');
    expect((await call('GET', `/v1/tenants/${tenantId}`)).status).toBe(401);
    expect((await call('GET', `/v1/tenants/${tenantId}`, { token: testSessions().mint({ tenantId, role: 'owner' }).token })).status).toBe(401);
  });

  it('404 for another tenant, and for a session whose tenant does not exist', async () => {
    const a = await newInstance('GetA');
    const b = await newInstance('GetB');
    expect((await call('GET', `/v1/tenants/${b.tenantId}`, { token: a.owner })).status).toBe(404);
    const ghost = '01890000-0000-7000-8000-00000000dead';
    expect((await call('GET', `/v1/tenants/${ghost}`, { token: tokenFor(ghost, 'owner') })).status).toBe(404);
  });

  it('200: owners and admins see the hidden instruction and models; members and auditors never do', async () => {
    const { tenantId, owner } = await newInstance('GetRoles');
    await call('PATCH', `/v1/tenants/${tenantId}/settings`, { token: owner, body: { systemInstruction: 'Secret sauce', allowedModels: ['gpt-4o-mini'] } });
    for (const role of ['owner', 'admin'] as const) {
      const res = await call('GET', `/v1/tenants/${tenantId}`, { token: tokenFor(tenantId, role) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        tenantId,
        instanceName: 'GetRoles',
        privacyPolicyUrl: '',
        messageLogging: false,
        messageLoggingNoticeVersion: '',
        defaultModel: 'gpt-4o-mini',
        retention: { conversationDays: 0, securityLogDays: 90, usageDetailDays: 365 },
        systemInstruction: 'Secret sauce',
        allowedModels: ['gpt-4o-mini'],
      });
    }
    for (const role of ['member', 'auditor'] as const) {
      const res = await call('GET', `/v1/tenants/${tenantId}`, { token: tokenFor(tenantId, role) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        tenantId,
        instanceName: 'GetRoles',
        privacyPolicyUrl: '',
        messageLogging: false,
        messageLoggingNoticeVersion: '',
        defaultModel: 'gpt-4o-mini',
        retention: { conversationDays: 0, securityLogDays: 90, usageDetailDays: 365 },
      });
      expect(res.raw).not.toContain('Secret sauce');
    }
  });
});

describe('PATCH /v1/tenants/:tenantId/settings', () => {
  let t: Awaited<ReturnType<typeof newInstance>>;
  beforeAll(async () => {
    t = await newInstance('Patch');
  });
  const url = () => `/v1/tenants/${t.tenantId}/settings`;

  it('401 without a session', async () => {
    expect((await call('PATCH', url(), { body: { messageLogging: true } })).status).toBe(401);
  });
  it('403 for members and auditors', async () => {
    for (const role of ['member', 'auditor'] as const) {
      const res = await call('PATCH', url(), { token: tokenFor(t.tenantId, role), body: { messageLogging: true } });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('forbidden');
    }
  });
  it("404 for another tenant's admin", async () => {
    const other = await newInstance('PatchOther');
    expect((await call('PATCH', url(), { token: other.owner, body: { messageLogging: true } })).status).toBe(404);
  });
  it.each<[string, unknown]>([
    ['an empty change', {}],
    ['an unknown setting', { theme: 'dark' }],
    ['a wrong type', { messageLogging: 'yes' }],
    ['a plain-http privacy URL', { privacyPolicyUrl: 'http://acme.example/privacy' }],
    ['a model with spaces', { defaultModel: 'gpt 4' }],
    ['a default outside allowed models', { allowedModels: ['gpt-4o'] }],
    ['a system instruction over 20000 characters', { systemInstruction: 's'.repeat(20_001) }],
    ['an empty retention change', { retention: {} }],
    ['an unknown retention period', { retention: { chatDays: 5 } }],
    ['conversationDays below 0', { retention: { conversationDays: -1 } }],
    ['conversationDays over 3650', { retention: { conversationDays: 3651 } }],
    ['fractional conversationDays', { retention: { conversationDays: 1.5 } }],
    ['securityLogDays of 0', { retention: { securityLogDays: 0 } }],
    ['securityLogDays over 3650', { retention: { securityLogDays: 3651 } }],
    ['usageDetailDays of 29', { retention: { usageDetailDays: 29 } }],
    ['usageDetailDays over 3650', { retention: { usageDetailDays: 3651 } }],
    ['usageDetailDays as a string', { retention: { usageDetailDays: '400' } }],
    ['an empty notice version', { messageLogging: true, messageLoggingNoticeVersion: '' }],
    ['a notice version over 32 characters', { messageLogging: true, messageLoggingNoticeVersion: 'v'.repeat(33) }],
    ['a notice version while logging is off', { messageLoggingNoticeVersion: '2' }],
  ])('400 for %s', async (_label, body) => {
    const res = await call('PATCH', url(), { token: t.owner, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
  });
  it('200: an admin changes settings and gets the full settings back', async () => {
    const res = await call('PATCH', url(), {
      token: tokenFor(t.tenantId, 'admin'),
      body: { messageLogging: true, privacyPolicyUrl: 'https://acme.example/privacy', defaultModel: 'llama3.1:8b', allowedModels: ['llama3.1:8b', 'gpt-4o'] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tenantId: t.tenantId,
      instanceName: 'Patch',
      systemInstruction: '',
      messageLogging: true,
      messageLoggingNoticeVersion: '1',
      privacyPolicyUrl: 'https://acme.example/privacy',
      defaultModel: 'llama3.1:8b',
      allowedModels: ['llama3.1:8b', 'gpt-4o'],
      retention: { conversationDays: 0, securityLogDays: 90, usageDetailDays: 365 },
    });
    expect((await runtime.queries.settings(t.tenantId)).settings.messageLogging).toBe(true);
  });
  it('200: retention periods at their edges and a notice version round-trip through the projection', async () => {
    const res = await call('PATCH', url(), {
      token: t.owner,
      body: { retention: { conversationDays: 0, securityLogDays: 1, usageDetailDays: 30 }, messageLoggingNoticeVersion: '2025-06.b' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ retention: { conversationDays: 0, securityLogDays: 1, usageDetailDays: 30 }, messageLoggingNoticeVersion: '2025-06.b' });
    const partial = await call('PATCH', url(), { token: t.owner, body: { retention: { conversationDays: 3650, usageDetailDays: 3650 } } });
    expect(partial.body.retention).toEqual({ conversationDays: 3650, securityLogDays: 1, usageDetailDays: 3650 });
    const read = await call('GET', `/v1/tenants/${t.tenantId}`, { token: tokenFor(t.tenantId, 'member') });
    expect(read.body).toMatchObject({ retention: { conversationDays: 3650, securityLogDays: 1, usageDetailDays: 3650 }, messageLoggingNoticeVersion: '2025-06.b' });
    const stored = await connection.collection('tenant_settings').findOne({ tenantId: t.tenantId });
    expect(stored).toMatchObject({ retention: { conversationDays: 3650, securityLogDays: 1, usageDetailDays: 3650 }, messageLoggingNoticeVersion: '2025-06.b' });
    const off = await call('PATCH', url(), { token: t.owner, body: { messageLogging: false } });
    expect(off.body).toMatchObject({ messageLogging: false, messageLoggingNoticeVersion: '' });
  });
});

describe('members', () => {
  let t: Awaited<ReturnType<typeof newInstance>>;
  beforeAll(async () => {
    t = await newInstance('Members');
  });
  const url = () => `/v1/tenants/${t.tenantId}/members`;

  it('401 without a session on every members route', async () => {
    expect((await call('POST', url(), { body: { email: 'x@acme.example', role: 'member' } })).status).toBe(401);
    expect((await call('GET', url())).status).toBe(401);
    expect((await call('DELETE', `${url()}/${t.ownerId}`)).status).toBe(401);
  });

  it('403 for members and auditors on every members route', async () => {
    for (const role of ['member', 'auditor'] as const) {
      const token = tokenFor(t.tenantId, role);
      expect((await call('POST', url(), { token, body: { email: 'x@acme.example', role: 'member' } })).status).toBe(403);
      expect((await call('GET', url(), { token })).status).toBe(403);
      expect((await call('DELETE', `${url()}/${t.ownerId}`, { token })).status).toBe(403);
    }
  });

  it("404 for another tenant's admin on every members route", async () => {
    const other = await newInstance('MembersOther');
    const token = other.owner;
    expect((await call('POST', url(), { token, body: { email: 'x@acme.example', role: 'member' } })).status).toBe(404);
    expect((await call('GET', url(), { token })).status).toBe(404);
    expect((await call('DELETE', `${url()}/${t.ownerId}`, { token })).status).toBe(404);
  });

  it.each<[string, unknown]>([
    ["the role 'owner'", { email: 'x@acme.example', role: 'owner' }],
    ['an unknown role', { email: 'x@acme.example', role: 'root' }],
    ['a malformed email', { email: 'x@', role: 'member' }],
    ['a missing email', { role: 'member' }],
  ])('POST 400 for %s', async (_label, body) => {
    const res = await call('POST', url(), { token: t.owner, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
  });

  it('POST 201 adds a member by email (same email → same subject), 409 for another role; GET lists them', async () => {
    const first = await call('POST', url(), { token: t.owner, body: { email: 'Alice@Acme.Example', name: 'Alice', role: 'member' } });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ subjectId: expect.stringMatching(/^sub-/), role: 'member' });
    expect(first.raw.toLowerCase()).not.toContain('alice@acme.example');
    const admin = await call('POST', url(), { token: t.owner, body: { email: 'adam@acme.example', role: 'admin' } });
    const again = await call('POST', url(), { token: tokenFor(t.tenantId, 'admin', admin.body.subjectId as string), body: { email: 'alice@acme.example', role: 'member' } });
    expect(again).toMatchObject({ status: 201, body: first.body });
    const conflict = await call('POST', url(), { token: t.owner, body: { email: 'alice@acme.example', role: 'admin' } });
    expect(conflict.status).toBe(409);

    const list = await call('GET', url(), { token: t.owner });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      members: [
        { subjectId: t.ownerId, role: 'owner', addedAt: expect.any(String) },
        { subjectId: first.body.subjectId, role: 'member', addedAt: expect.any(String) },
        { subjectId: admin.body.subjectId, role: 'admin', addedAt: expect.any(String) },
      ],
    });
  });

  it('DELETE 400 for the owner, 404 for an unknown or malformed subject, 204 for a member', async () => {
    const owner = await call('DELETE', `${url()}/${t.ownerId}`, { token: t.owner });
    expect(owner.status).toBe(400);
    expect(owner.body.message).toMatch(/owner cannot be removed/);
    expect((await call('DELETE', `${url()}/sub-nobody`, { token: t.owner })).status).toBe(404);
    expect((await call('DELETE', `${url()}/bad.id`, { token: t.owner })).status).toBe(400);

    const bob = await call('POST', url(), { token: t.owner, body: { email: 'bob@acme.example', role: 'auditor' } });
    const admin = await call('POST', url(), { token: t.owner, body: { email: 'ada@acme.example', role: 'admin' } });
    const removed = await call('DELETE', `${url()}/${bob.body.subjectId as string}`, { token: tokenFor(t.tenantId, 'admin', admin.body.subjectId as string) });
    expect(removed.status).toBe(204);
    expect(removed.raw).toBe('');
    const list = await call('GET', url(), { token: t.owner });
    expect((list.body.members as Array<{ subjectId: string }>).map((m) => m.subjectId)).not.toContain(bob.body.subjectId);
  });
});
