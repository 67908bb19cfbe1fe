// Over HTTP against real Redis and FerretDB: is POST /v1/instances limited per client IP and per admin
// address (429 + Retry-After, counters named only by keyed hashes), and does operator-only mode admit
// nobody without the operator token?
import type { Connection } from 'mongoose';
import type Redis from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@enclave/platform';
import { testSessions } from '@enclave/session';
import { uniqueName } from '@enclave/testing';
import { AppModule } from '../../app.module';
import type { SignUpPolicy } from '../../application';
import { TenantRuntime } from '../../composition/tenant-runtime';
import { connectTestDb, quietLogger, serviceKeys, startAuthDouble, testRedis, testSignUpGate } from '../../test-support/tenant-test-kit.helper.spec';

jest.setTimeout(60_000);

const OPERATOR_TOKEN = 'op-token-0123456789abcdefghijklmnopqrstuvwxyz';
const PHISHING_NAME = 'URGENT: your account is locked, verify at http://evil.example now';
let connection: Connection;
let auth: Awaited<ReturnType<typeof startAuthDouble>>;
let runtime: TenantRuntime;
let redis: Redis;
const apps: NestFastifyApplication[] = [];

async function appWith(policy: Partial<SignUpPolicy>): Promise<NestFastifyApplication> {
  const app = await createHttpApp(
    AppModule.forRoot({ runtime, signUpGate: testSignUpGate(redis, policy), session: { verifier: testSessions().verifier } }),
    { logger: quietLogger(), handleSignals: false },
  );
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  apps.push(app);
  return app;
}

async function signUp(app: NestFastifyApplication, o: { email: string; ip: string; name?: string; operatorToken?: string }) {
  const res = await app.getHttpAdapter().getInstance().inject({
    method: 'POST',
    url: '/v1/instances',
    remoteAddress: o.ip,
    headers: { 'content-type': 'application/json', ...(o.operatorToken !== undefined && { 'x-operator-token': o.operatorToken }) },
    payload: JSON.stringify({ instanceName: o.name ?? 'Acme', adminEmail: o.email, adminName: 'Ada' }),
  });
  return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {} };
}

const address = (who: string) => `${who}.${uniqueName('su').replace(/[^a-z0-9]/gi, '').toLowerCase()}@victim.example`;

beforeAll(async () => {
  connection = await connectTestDb('tenant-sign-up');
  auth = await startAuthDouble(serviceKeys());
  runtime = new TenantRuntime({ connection, logger: quietLogger(), accounts: auth.registry, defaultModel: 'gpt-4o-mini' });
  redis = testRedis();
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await auth?.stop();
  redis?.disconnect();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

describe('open sign-up', () => {
  const perEmail = 3;
  const perIp = 5;
  const policy = { perEmail: { limit: perEmail, windowMs: 3_600_000 }, perIp: { limit: perIp, windowMs: 3_600_000 } };

  it('20 sign-ups for one victim address from many IPs: the first few pass, the rest get 429 with Retry-After, and auth is asked only for those', async () => {
    const app = await appWith(policy);
    const victim = address('victim');
    const answers = [];
    for (let i = 0; i < 20; i += 1) answers.push(await signUp(app, { email: victim, ip: `198.51.100.${i + 1}`, name: PHISHING_NAME }));
    expect(answers.slice(0, perEmail).map((a) => a.status)).toEqual([201, 201, 201]);
    for (const refused of answers.slice(perEmail)) {
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ error: 'rate_limited', message: expect.stringContaining('retry later') });
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(3600);
    }
    expect(auth.calls.filter((c) => c.email === victim)).toHaveLength(perEmail);
  });

  it('one client IP asking for many addresses is limited too', async () => {
    const app = await appWith(policy);
    const statuses = [];
    for (let i = 0; i < perIp + 2; i += 1) statuses.push((await signUp(app, { email: address(`p${i}`), ip: '203.0.113.7' })).status);
    expect(statuses).toEqual([...Array<number>(perIp).fill(201), 429, 429]);
    // Another client is not affected.
    expect((await signUp(app, { email: address('other'), ip: '203.0.113.8' })).status).toBe(201);
  });

  it('keeps neither the raw IP nor the raw email in Redis', async () => {
    const app = await appWith(policy);
    const email = address('hidden');
    expect((await signUp(app, { email, ip: '192.0.2.55' })).status).toBe(201);
    const keys = await redis.keys('tenant-sign-up*');
    expect(keys.some((k) => /:tenant:sign-up:ip:[0-9a-f]{64}$/.test(k))).toBe(true);
    expect(keys.some((k) => /:tenant:sign-up:email:[0-9a-f]{64}$/.test(k))).toBe(true);
    expect(keys.join('\n')).not.toMatch(/192\.0\.2\.55|victim\.example|hidden\./);
  });
});

describe('operator-only sign-up', () => {
  it('401 without the token, 403 with a wrong one, 201 with the operator token (not counted against the limits)', async () => {
    const app = await appWith({ mode: 'operator', operatorToken: OPERATOR_TOKEN, perEmail: { limit: 1, windowMs: 3_600_000 } });
    const email = address('op');
    const missing = await signUp(app, { email, ip: '198.51.100.200' });
    expect(missing).toMatchObject({ status: 401, body: { error: 'unauthenticated', message: 'instance creation needs the x-operator-token header' } });
    expect((await signUp(app, { email, ip: '198.51.100.200', operatorToken: 'not-the-token' })).status).toBe(403);
    expect((await signUp(app, { email, ip: '198.51.100.200', operatorToken: OPERATOR_TOKEN, name: 'Acme One' })).status).toBe(201);
    expect((await signUp(app, { email: address('op2'), ip: '198.51.100.200', operatorToken: OPERATOR_TOKEN, name: 'Acme Two' })).status).toBe(201);
    expect(auth.calls.filter((c) => c.email === email)).toHaveLength(1);
  });
});
