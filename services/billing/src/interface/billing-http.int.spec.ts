// Over HTTP, in process against real FerretDB and Redis: do GET usage and PUT quota answer success, 400, 401, 403 and 404 as specified?
import type { Connection } from 'mongoose';
import type Redis from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@enclave/platform';
import { testSessions, type Role } from '@enclave/session';
import { uniqueName } from '@enclave/testing';
import { AppModule } from '../app.module';
import { BillingRuntime } from '../composition/billing-runtime';
import { quotaLimitKey } from '../quota/infrastructure/quota-keys';
import { connectTestDb, newTenantId, quietLogger, testRedis } from '../test-support/billing-test-kit.helper.spec';

jest.setTimeout(60_000);

const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';
const NOW = new Date('2025-03-15T12:00:00.000Z');
const sessions = testSessions();
let connection: Connection;
let redis: Redis;
let runtime: BillingRuntime;
let app: NestFastifyApplication;

interface Reply {
  status: number;
  body: Record<string, unknown>;
  raw: string;
}

async function call(method: 'GET' | 'PUT', url: string, opts: { token?: string; operator?: string; body?: unknown; rawBody?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.operator !== undefined) headers['x-operator-token'] = opts.operator;
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['content-type'] = 'application/json';
  const res = await app.getHttpAdapter().getInstance().inject({
    method,
    url,
    headers,
    ...(opts.rawBody !== undefined ? { payload: opts.rawBody } : opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
  });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {}, raw: res.body };
}

const tokenFor = (tenantId: string, role: Role) => sessions.mint({ tenantId, role }).token;

beforeAll(async () => {
  connection = await connectTestDb('billing-http');
  redis = testRedis();
  runtime = new BillingRuntime({ connection, redis, logger: quietLogger(), defaultMonthlyTokenQuota: null, clock: () => NOW });
  app = await createHttpApp(
    AppModule.forRoot({ runtime, session: { verifier: sessions.verifier }, operatorToken: OPERATOR_TOKEN }),
    { logger: quietLogger(), handleSignals: false },
  );
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});

afterAll(async () => {
  await app?.close();
  redis?.disconnect();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

describe('health', () => {
  it('answers /healthz and /readyz with storage checked', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect(await call('GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ok', checks: { storage: 'ok' } } });
  });
});

describe('GET /v1/tenants/:tenantId/usage', () => {
  const tenant = newTenantId();
  let offset = 0;
  const usage = (eventId: string, memberSubjectId: string, promptTokens: number, completionTokens: number, iso: string) =>
    runtime.projectUsage.execute([
      { eventId: `${tenant}-${eventId}`, tenantId: tenant, occurredAt: new Date(iso), requestId: eventId, outcome: 'ok', memberSubjectId, model: 'gpt-4o', promptTokens, completionTokens, partition: 0, offset: offset++ },
    ]);

  beforeAll(async () => {
    await runtime.setQuota.execute(tenant, 1000);
    await usage('e1', 'sub-ann', 500, 300, '2025-03-01T10:00:00Z');
    await usage('e2', 'sub-bob', 20, 10, '2025-03-02T10:00:00Z');
    await usage('e3', 'sub-ann', 1, 1, '2025-02-28T23:00:00Z');
  });

  it.each<Role>(['owner', 'admin'])('200 for the %s: the current month by default, with the quota position', async (role) => {
    const res = await call('GET', `/v1/tenants/${tenant}/usage`, { token: tokenFor(tenant, role) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      month: '2025-03',
      totals: { promptTokens: 520, completionTokens: 310, messages: 2, totalTokens: 830 },
      byMember: [
        { memberSubjectId: 'sub-ann', promptTokens: 500, completionTokens: 300, messages: 1, totalTokens: 800 },
        { memberSubjectId: 'sub-bob', promptTokens: 20, completionTokens: 10, messages: 1, totalTokens: 30 },
      ],
      byModel: [{ model: 'gpt-4o', promptTokens: 520, completionTokens: 310, messages: 2, totalTokens: 830 }],
      byDay: [
        { day: '2025-03-01', promptTokens: 500, completionTokens: 300, messages: 1, totalTokens: 800 },
        { day: '2025-03-02', promptTokens: 20, completionTokens: 10, messages: 1, totalTokens: 30 },
      ],
      quota: { monthlyTokenQuota: 1000, used: 830, remaining: 170, warning: true, exhausted: false },
    });
  });

  it('200 for another month given as ?month=YYYY-MM', async () => {
    const res = await call('GET', `/v1/tenants/${tenant}/usage?month=2025-02`, { token: tokenFor(tenant, 'owner') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ month: '2025-02', totals: { totalTokens: 2, messages: 1 }, quota: { used: 2, warning: false } });
  });

  it('200 with zeros for a tenant without usage, unlimited', async () => {
    const quiet = newTenantId();
    const res = await call('GET', `/v1/tenants/${quiet}/usage`, { token: tokenFor(quiet, 'admin') });
    expect(res.body).toEqual({
      month: '2025-03',
      totals: { promptTokens: 0, completionTokens: 0, messages: 0, totalTokens: 0 },
      byMember: [],
      byModel: [],
      byDay: [],
      quota: { monthlyTokenQuota: null, used: 0, remaining: null, warning: false, exhausted: false },
    });
  });

  it.each(['2025-13', '2025-3', 'march', '2025-03-01', ''])('400 for month=%s', async (month) => {
    const res = await call('GET', `/v1/tenants/${tenant}/usage?month=${month}`, { token: tokenFor(tenant, 'owner') });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', message: expect.stringContaining('month') });
  });

  it('401 without a session, and with a forged one', async () => {
    expect((await call('GET', `/v1/tenants/${tenant}/usage`)).status).toBe(401);
    const forged = testSessions().mint({ tenantId: tenant, role: 'owner' }).token;
    expect((await call('GET', `/v1/tenants/${tenant}/usage`, { token: forged })).status).toBe(401);
  });

  it.each<Role>(['member', 'auditor'])('403 for a %s', async (role) => {
    const res = await call('GET', `/v1/tenants/${tenant}/usage`, { token: tokenFor(tenant, role) });
    expect(res.status).toBe(403);
  });

  it("404 for another tenant's usage, even as its would-be owner", async () => {
    const res = await call('GET', `/v1/tenants/${tenant}/usage`, { token: tokenFor(newTenantId(), 'owner') });
    expect(res.status).toBe(404);
    expect(res.raw).not.toContain('sub-ann');
  });
});

describe('PUT /v1/tenants/:tenantId/quota', () => {
  it('204: sets the quota, the Redis limit and the usage report', async () => {
    const tenant = newTenantId();
    const res = await call('PUT', `/v1/tenants/${tenant}/quota`, { operator: OPERATOR_TOKEN, body: { monthlyTokenQuota: 25_000 } });
    expect(res.status).toBe(204);
    expect(res.raw).toBe('');
    expect(await redis.get(quotaLimitKey(tenant))).toBe('25000');
    const report = await call('GET', `/v1/tenants/${tenant}/usage`, { token: tokenFor(tenant, 'owner') });
    expect(report.body.quota).toEqual({ monthlyTokenQuota: 25_000, used: 0, remaining: 25_000, warning: false, exhausted: false });
  });

  it('204: 0 is a hard stop, null removes the limit', async () => {
    const tenant = newTenantId();
    expect((await call('PUT', `/v1/tenants/${tenant}/quota`, { operator: OPERATOR_TOKEN, body: { monthlyTokenQuota: 0 } })).status).toBe(204);
    expect(await redis.get(quotaLimitKey(tenant))).toBe('0');
    expect((await call('PUT', `/v1/tenants/${tenant}/quota`, { operator: OPERATOR_TOKEN, body: { monthlyTokenQuota: null } })).status).toBe(204);
    expect(await redis.exists(quotaLimitKey(tenant))).toBe(0);
  });

  it.each<[string, { body?: unknown; rawBody?: string }]>([
    ['a negative quota', { body: { monthlyTokenQuota: -1 } }],
    ['a fractional quota', { body: { monthlyTokenQuota: 1.5 } }],
    ['a string', { body: { monthlyTokenQuota: '1000' } }],
    ['a missing field', { body: {} }],
    ['an unknown field', { body: { monthlyTokenQuota: 1, plan: 'gold' } }],
    ['an array body', { body: [1000] }],
    ['malformed JSON', { rawBody: '{"monthlyTokenQuota":' }],
  ])('400 for %s', async (_label, payload) => {
    const res = await call('PUT', `/v1/tenants/${newTenantId()}/quota`, { operator: OPERATOR_TOKEN, ...payload });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request' });
  });

  it('400 for a malformed tenant id', async () => {
    const res = await call('PUT', '/v1/tenants/bad.tenant$/quota', { operator: OPERATOR_TOKEN, body: { monthlyTokenQuota: 1 } });
    expect(res.status).toBe(400);
  });

  it('401 without the operator token (a tenant owner session does not count)', async () => {
    const tenant = newTenantId();
    expect((await call('PUT', `/v1/tenants/${tenant}/quota`, { body: { monthlyTokenQuota: 1 } })).status).toBe(401);
    const owner = await call('PUT', `/v1/tenants/${tenant}/quota`, { token: tokenFor(tenant, 'owner'), body: { monthlyTokenQuota: 1 } });
    expect(owner.status).toBe(401);
    expect(await redis.exists(quotaLimitKey(tenant))).toBe(0);
  });

  it('403 with a wrong operator token, which is never echoed', async () => {
    const tenant = newTenantId();
    const guess = uniqueName('guess');
    const res = await call('PUT', `/v1/tenants/${tenant}/quota`, { operator: guess, body: { monthlyTokenQuota: 1 } });
    expect(res.status).toBe(403);
    expect(res.raw).not.toContain(guess);
    expect((await call('PUT', `/v1/tenants/${tenant}/quota`, { operator: OPERATOR_TOKEN.slice(0, -1), body: { monthlyTokenQuota: 1 } })).status).toBe(403);
    expect(await redis.exists(quotaLimitKey(tenant))).toBe(0);
  });
});
