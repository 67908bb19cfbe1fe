// Does every auth endpoint answer malformed, unauthenticated and expired input with a clear 4xx (never a 500), and serve health and keys?
import { generateKeyPairSync } from 'node:crypto';
import { Ed25519SessionSigner } from '../sessions/infrastructure/ed25519-session-signer';
import { sessionClaims } from '../sessions/domain/session-claims';
import { generateLoginToken } from '../login-links/domain/login-token';
import { postJson, startAuth, type AuthHarness } from '../test-support/auth-test-kit.helper.spec';

jest.setTimeout(60_000);

let auth: AuthHarness;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${auth.baseUrl}${path}`, { headers });
const mint = (signer = auth.runtime.signer, ttlMs = 3_600_000) =>
  signer.sign(sessionClaims({ subjectId: 's-1', tenantId: 't-1', role: 'owner', sessionId: 'sid-1', nowMs: auth.clock.nowMs(), ttlMs }));

beforeAll(async () => {
  auth = await startAuth();
});

afterAll(async () => {
  await auth?.stop();
});

describe('POST /v1/auth/login-links', () => {
  it.each([
    ['no body', undefined],
    ['an array', []],
    ['a missing email', { tenantId: 't1' }],
    ['a malformed email', { tenantId: 't1', email: 'nobody' }],
    ['an email with spaces inside', { tenantId: 't1', email: 'a b@example.org' }],
    ['an overlong email', { tenantId: 't1', email: `${'a'.repeat(250)}@example.org` }],
    ['a missing tenant', { email: 'a@example.org' }],
    ['a tenant id with illegal characters', { tenantId: '$where', email: 'a@example.org' }],
    ['a non-string email', { tenantId: 't1', email: 42 }],
  ])('answers 400 bad_request for %s', async (_case, body) => {
    const res = await postJson(auth.baseUrl, '/v1/auth/login-links', body === undefined ? '' : body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request' });
  });

  it('answers 400 for broken JSON', async () => {
    const res = await postJson(auth.baseUrl, '/v1/auth/login-links', '{"tenantId": ');
    expect(res).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });

  it('does not echo the submitted email in the error', async () => {
    const res = await postJson(auth.baseUrl, '/v1/auth/login-links', { tenantId: 't1', email: 'secret-person@@example.org' });
    expect(JSON.stringify(res.body)).not.toContain('secret-person');
  });

  it('answers 400 for a plain-text body and 415 for an unknown content type', async () => {
    const post = (type: string) => fetch(`${auth.baseUrl}/v1/auth/login-links`, { method: 'POST', headers: { 'content-type': type }, body: 'x' });
    expect((await post('text/plain')).status).toBe(400);
    expect((await post('application/x-unknown')).status).toBe(415);
  });
});

describe('POST /v1/auth/sessions', () => {
  it.each([
    ['no body', ''],
    ['a missing token', {}],
    ['a non-string token', { token: 12 }],
    ['an empty token', { token: '' }],
    ['an overlong token', { token: 'a'.repeat(600) }],
  ])('answers 400 bad_request for %s', async (_case, body) => {
    expect(await postJson(auth.baseUrl, '/v1/auth/sessions', body)).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });

  it.each([
    ['an unknown well-formed token', generateLoginToken()],
    ['a token of the wrong shape', 'abc'],
  ])('answers 401 invalid_link for %s, with one message for all', async (_case, token) => {
    const res = await postJson(auth.baseUrl, '/v1/auth/sessions', { token });
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_link' } });
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('GET /v1/auth/session', () => {
  it('answers 401 without a session', async () => {
    expect((await get('/v1/auth/session')).status).toBe(401);
  });

  it('answers 401 for garbage, a foreign key and an expired session', async () => {
    const foreign = mint(new Ed25519SessionSigner(generateKeyPairSync('ed25519').privateKey));
    const expired = mint(auth.runtime.signer, 60_000);
    for (const token of ['not.a.jwt', foreign]) {
      const res = await get('/v1/auth/session', { authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
    }
    auth.clock.advance(120_000);
    expect((await get('/v1/auth/session', { authorization: `Bearer ${expired}` })).status).toBe(401);
  });

  it('returns the claims for a Bearer token or the session cookie', async () => {
    const token = mint();
    const variants: Array<Record<string, string>> = [{ authorization: `Bearer ${token}` }, { cookie: `theme=dark; enclave_session=${token}` }];
    for (const headers of variants) {
      const res = await get('/v1/auth/session', headers);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ subjectId: 's-1', tenantId: 't-1', role: 'owner', sessionId: 'sid-1' });
    }
  });
});

describe('POST /v1/auth/logout', () => {
  it('answers 204 and expires the session cookie', async () => {
    const res = await postJson(auth.baseUrl, '/v1/auth/logout', {});
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^enclave_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict/);
  });
});

describe('GET /v1/auth/jwks, /healthz, /readyz', () => {
  it('publishes the public signing key, cacheable', async () => {
    const res = await get('/v1/auth/jwks');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const body = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: auth.runtime.signer.keyId })]);
    expect(body.keys[0]).not.toHaveProperty('d');
  });

  it('is live and ready with its database and Redis', async () => {
    expect((await get('/healthz')).status).toBe(200);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { mongo: 'ok', redis: 'ok' } });
  });
});
