// Does each provider-key endpoint (store, list, rotate, test, delete) answer 400/401/403/404 at its edge, and never return the key?
jest.setTimeout(60_000);

import { uuidv7 } from '@enclave/platform';
import type { Role } from '@enclave/session';
import { harnessEnv, startHarness, type Harness } from '../../test-support/key-vault-harness';

const apiKey = `sk-http-${uuidv7().replace(/-/g, '')}QRST`;
const path = (tenant: string) => `/v1/tenants/${tenant}/provider-keys`;

describe('provider-keys HTTP edge', () => {
  let h: Harness;
  const tenant = `tenant-${uuidv7()}`;
  const otherTenant = `tenant-${uuidv7()}`;

  beforeAll(async () => {
    h = await startHarness(harnessEnv({ KAFKA_ENABLED: 'false' }));
  });
  afterAll(async () => {
    await h?.close();
  });

  function token(role: Role, tenantId = tenant): string {
    return h.sessions.mint({ tenantId, role }).token;
  }

  async function send(method: 'GET' | 'POST' | 'DELETE', url: string, options: { token?: string; body?: unknown; raw?: string } = {}) {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (method === 'POST') headers['content-type'] = 'application/json';
    const res = await fetch(`${h.baseUrl}${url}`, {
      method,
      headers,
      body: method === 'POST' ? (options.raw ?? JSON.stringify(options.body ?? {})) : undefined,
    });
    const text = await res.text();
    expect(text).not.toContain(apiKey);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  let keyId = '';
  const valid = { provider: 'openai-compatible', label: 'Fake upstream', apiKey, baseUrl: 'http://127.0.0.1:7190/v1' };

  describe('POST /v1/tenants/:tenantId/provider-keys', () => {
    it('201: stores the key and answers with the masked form only', async () => {
      const res = await send('POST', path(tenant), { token: token('admin'), body: valid });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        keyVersion: 1,
        provider: 'openai-compatible',
        label: 'Fake upstream',
        lastFour: 'QRST',
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        isDefault: true,
        createdAt: expect.any(String),
        rotatedAt: null,
        lastUsedAt: null,
        lastTest: null,
        versions: [{ version: 1, createdAt: res.body.createdAt, retiresAt: null, retiredAt: null }],
      });
      keyId = res.body.keyId;
      const byOwner = await send('POST', path(tenant), { token: token('owner'), body: { provider: 'openai', label: 'Owner key', apiKey: 'sk-owner-abcdefgh' } });
      expect(byOwner.status).toBe(201);
    });

    it('401 without a session or with a forged one', async () => {
      expect((await send('POST', path(tenant), { body: valid })).status).toBe(401);
      expect((await send('POST', path(tenant), { token: 'not.a.jwt', body: valid })).status).toBe(401);
    });

    it.each(['member', 'auditor'] as const)('403 for a %s', async (role) => {
      const res = await send('POST', path(tenant), { token: token(role), body: valid });
      expect(res.status).toBe(403);
    });

    it("404 for another tenant's path", async () => {
      const res = await send('POST', path(otherTenant), { token: token('admin'), body: valid });
      expect(res.status).toBe(404);
    });

    const bad: Array<[string, unknown, RegExp]> = [
      ['no provider', { ...valid, provider: undefined }, /provider/],
      ['unknown provider', { ...valid, provider: 'gemini' }, /provider/],
      ['empty label', { ...valid, label: '   ' }, /label/],
      ['label over 100', { ...valid, label: 'x'.repeat(101) }, /label/],
      ['short key', { ...valid, apiKey: 'sk-1' }, /apiKey/],
      ['key over 500', { ...valid, apiKey: `sk-${'a'.repeat(500)}` }, /apiKey/],
      ['key with whitespace', { ...valid, apiKey: 'sk-abc def-ghij' }, /apiKey: must not contain whitespace/],
      ['missing baseUrl for openai-compatible', { ...valid, baseUrl: undefined }, /baseUrl: required/],
      ['baseUrl not a URL', { ...valid, baseUrl: 'not a url' }, /absolute URL/],
      ['metadata baseUrl', { ...valid, baseUrl: 'http://169.254.169.254/latest' }, /metadata/],
      ['link-local baseUrl', { ...valid, baseUrl: 'http://[fe80::1]/v1' }, /link-local/],
      ['private baseUrl (not allowed here)', { ...valid, baseUrl: 'http://10.0.0.8:8000/v1' }, /ALLOW_PRIVATE_BASE_URLS/],
      ['file: baseUrl', { ...valid, baseUrl: 'file:///etc/passwd' }, /http or https/],
      ['unknown field', { ...valid, extra: 1 }, /extra|Unrecognized/i],
      ['array body', [valid], /body/],
    ];
    it.each(bad)('400 for %s, without echoing the key', async (_name, body, message) => {
      const res = await send('POST', path(tenant), { token: token('admin'), body });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('bad_request');
      expect(res.body.message).toMatch(message);
    });

    it('400 for a body that is not JSON', async () => {
      const res = await send('POST', path(tenant), { token: token('admin'), raw: `{"apiKey": "${apiKey}"` });
      expect(res.status).toBe(400);
    });
  });

  describe('GET /v1/tenants/:tenantId/provider-keys', () => {
    it('200: masked keys, newest first, the newest marked default', async () => {
      const res = await send('GET', path(tenant), { token: token('owner') });
      expect(res.status).toBe(200);
      expect(res.body.keys.map((k: { label: string; isDefault: boolean }) => [k.label, k.isDefault])).toEqual([
        ['Owner key', true],
        ['Fake upstream', false],
      ]);
      for (const key of res.body.keys) expect(Object.keys(key).sort()).toEqual(
        ['createdAt', 'fingerprint', 'isDefault', 'keyId', 'keyVersion', 'label', 'lastFour', 'lastTest', 'lastUsedAt', 'provider', 'rotatedAt', 'versions'],
      );
    });

    it('401 without a session', async () => {
      expect((await send('GET', path(tenant))).status).toBe(401);
    });

    it('403 for a member', async () => {
      expect((await send('GET', path(tenant), { token: token('member') })).status).toBe(403);
    });

    it("404 for another tenant's path, even for its admin role", async () => {
      expect((await send('GET', path(otherTenant), { token: token('admin') })).status).toBe(404);
      expect((await send('GET', path('bad.tenant$id'), { token: token('admin') })).status).toBe(404);
    });

    it('200 with an empty list for a tenant without keys', async () => {
      const res = await send('GET', path(otherTenant), { token: token('admin', otherTenant) });
      expect(res).toEqual({ status: 200, body: { keys: [] } });
    });
  });

  // The per-key endpoints share the same edge rules.
  const rotateBody = { apiKey: `sk-rotated-${uuidv7().replace(/-/g, '')}` };
  const perKey: Array<[string, 'POST' | 'DELETE', (tenant: string, id: string) => string, unknown]> = [
    ['rotate', 'POST', (t, id) => `${path(t)}/${id}/rotate`, rotateBody],
    ['test', 'POST', (t, id) => `${path(t)}/${id}/test`, undefined],
    ['delete', 'DELETE', (t, id) => `${path(t)}/${id}`, undefined],
  ];

  describe.each(perKey)('%s a key', (_name, method, url, body) => {
    it('401 without a session', async () => {
      expect((await send(method, url(tenant, keyId), { body })).status).toBe(401);
    });

    it.each(['member', 'auditor'] as const)('403 for a %s', async (role) => {
      expect((await send(method, url(tenant, keyId), { token: token(role), body })).status).toBe(403);
    });

    it("404 for another tenant's path, and for a key id of another tenant or none at all", async () => {
      expect((await send(method, url(otherTenant, keyId), { token: token('admin'), body })).status).toBe(404);
      expect((await send(method, url(otherTenant, keyId), { token: token('admin', otherTenant), body })).status).toBe(404);
      expect((await send(method, url(tenant, uuidv7()), { token: token('admin'), body })).status).toBe(404);
    });

    it('400 for a key id that is not a UUID', async () => {
      const res = await send(method, url(tenant, 'not-a-key'), { token: token('admin'), body });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/keyId/);
    });
  });

  describe('POST .../provider-keys/:keyId/rotate', () => {
    it.each([
      ['no apiKey', {}, /apiKey/],
      ['short apiKey', { apiKey: 'sk-1' }, /apiKey/],
      ['whitespace', { apiKey: 'sk-abc def-ghij' }, /whitespace/],
      ['unknown field', { apiKey: 'sk-abcdefghijkl', baseUrl: 'http://10.0.0.1/v1' }, /baseUrl|Unrecognized/i],
    ])('400 for %s', async (_name, body, message) => {
      const res = await send('POST', `${path(tenant)}/${keyId}/rotate`, { token: token('admin'), body });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    });

    it('200: a new version with the new last four; the old one has a retirement date', async () => {
      const res = await send('POST', `${path(tenant)}/${keyId}/rotate`, { token: token('owner'), body: rotateBody });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ keyId, keyVersion: 2, lastFour: rotateBody.apiKey.slice(-4), rotatedAt: expect.any(String) });
      expect(res.body.versions).toEqual([
        { version: 1, createdAt: expect.any(String), retiresAt: expect.any(String), retiredAt: null },
        { version: 2, createdAt: res.body.rotatedAt, retiresAt: null, retiredAt: null },
      ]);
      expect(JSON.stringify(res.body)).not.toContain(rotateBody.apiKey);
    });
  });

  describe('DELETE .../provider-keys/:keyId', () => {
    it('204, then the key is gone from the list and every endpoint answers 404 for it', async () => {
      expect((await send('DELETE', `${path(tenant)}/${keyId}`, { token: token('admin') })).status).toBe(204);
      const list = await send('GET', path(tenant), { token: token('admin') });
      expect(list.body.keys.map((k: { keyId: string }) => k.keyId)).not.toContain(keyId);
      for (const [, method, url, body] of perKey) expect((await send(method, url(tenant, keyId), { token: token('admin'), body })).status).toBe(404);
    });
  });
});
