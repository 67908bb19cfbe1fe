// Does each tenant-secret endpoint (SMTP password, OIDC client secret) answer 400/401/403/404 at its edge, and never return the value?
jest.setTimeout(60_000);

import { uuidv7 } from '@enclave/platform';
import type { Role } from '@enclave/session';
import { harnessEnv, startHarness, type Harness } from '../../test-support/key-vault-harness';

const password = `smtp pass ${uuidv7()}`;
const base = (tenant: string, kind = 'smtp-password') => `/v1/tenants/${tenant}/secrets/${kind}`;

describe('tenant secrets HTTP edge', () => {
  let h: Harness;
  const tenant = `tenant-${uuidv7()}`;
  const otherTenant = `tenant-${uuidv7()}`;
  let secretId = '';

  beforeAll(async () => {
    h = await startHarness(harnessEnv({ KAFKA_ENABLED: 'false' }));
  });
  afterAll(async () => {
    await h?.close();
  });

  const token = (role: Role, tenantId = tenant) => h.sessions.mint({ tenantId, role }).token;
  async function send(method: string, url: string, options: { token?: string; body?: unknown } = {}) {
    const res = await h.http(method, url, options);
    expect(res.text).not.toContain(password);
    return res;
  }

  it('201: stores an SMTP password and answers the masked form only (no characters of the value)', async () => {
    const res = await send('POST', base(tenant), { token: token('admin'), body: { label: 'Mail relay', value: password } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      secretId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      kind: 'smtp-password',
      version: 1,
      label: 'Mail relay',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      createdAt: expect.any(String),
      rotatedAt: null,
      lastUsedAt: null,
      versions: [{ version: 1, createdAt: expect.any(String), retiresAt: null, retiredAt: null }],
    });
    secretId = res.body.secretId;
  });

  it('200: lists per kind, newest first; the other kind is a separate list', async () => {
    await send('POST', base(tenant, 'oidc-client-secret'), { token: token('owner'), body: { label: 'SSO', value: 'oidc-client-secret-value' } });
    const smtp = await send('GET', base(tenant), { token: token('owner') });
    expect(smtp.status).toBe(200);
    expect(smtp.body.secrets.map((s: { secretId: string }) => s.secretId)).toEqual([secretId]);
    const oidc = await send('GET', base(tenant, 'oidc-client-secret'), { token: token('admin') });
    expect(oidc.body.secrets.map((s: { label: string; kind: string }) => [s.label, s.kind])).toEqual([['SSO', 'oidc-client-secret']]);
    expect(oidc.text).not.toContain('oidc-client-secret-value');
  });

  it('200: rotates to version 2, the old version with a retirement date', async () => {
    const res = await send('POST', `${base(tenant)}/${secretId}/rotate`, { token: token('admin'), body: { value: `${password} v2` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ secretId, version: 2, rotatedAt: expect.any(String) });
    expect(res.body.versions[0].retiresAt).toEqual(expect.any(String));
  });

  const routes: Array<[string, string, (t: string, id: string, kind?: string) => string, unknown]> = [
    ['store', 'POST', (t, _id, kind) => base(t, kind), { label: 'x', value: 'y' }],
    ['list', 'GET', (t, _id, kind) => base(t, kind), undefined],
    ['rotate', 'POST', (t, id, kind) => `${base(t, kind)}/${id}/rotate`, { value: 'z' }],
    ['delete', 'DELETE', (t, id, kind) => `${base(t, kind)}/${id}`, undefined],
  ];

  describe.each(routes)('%s', (name, method, url, body) => {
    it('401 without a session', async () => {
      expect((await send(method, url(tenant, secretId), { body })).status).toBe(401);
    });

    it.each(['member', 'auditor'] as const)('403 for a %s', async (role) => {
      expect((await send(method, url(tenant, secretId), { token: token(role), body })).status).toBe(403);
    });

    it("404 for another tenant's path", async () => {
      expect((await send(method, url(otherTenant, secretId), { token: token('admin'), body })).status).toBe(404);
    });

    it('400 for an unknown kind', async () => {
      const res = await send(method, url(tenant, secretId, 'ssh-key'), { token: token('admin'), body });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/kind/);
    });

    if (name === 'rotate' || name === 'delete') {
      it('404 for a secret of another tenant or another kind, 400 for an id that is not a UUID', async () => {
        expect((await send(method, url(otherTenant, secretId), { token: token('admin', otherTenant), body })).status).toBe(404);
        expect((await send(method, url(tenant, secretId, 'oidc-client-secret'), { token: token('admin'), body })).status).toBe(404);
        expect((await send(method, url(tenant, 'nope'), { token: token('admin'), body })).status).toBe(400);
      });
    }
  });

  it.each([
    ['no value', { label: 'x' }, /value/],
    ['empty value', { label: 'x', value: '' }, /value/],
    ['value over 1000', { label: 'x', value: 'v'.repeat(1001) }, /value/],
    ['control characters', { label: 'x', value: 'a\u0000b' }, /value: must not contain control characters/],
    ['no label', { value: 'v' }, /label/],
    ['unknown field', { label: 'x', value: 'v', host: 'smtp.example.com' }, /host|Unrecognized/i],
  ])('400 for a store body with %s, without echoing it', async (_name, body, message) => {
    const res = await send('POST', base(tenant), { token: token('admin'), body });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('204: deletes by crypto-shredding; the secret leaves the list and further rotation is 404', async () => {
    expect((await send('DELETE', `${base(tenant)}/${secretId}`, { token: token('admin') })).status).toBe(204);
    expect((await send('GET', base(tenant), { token: token('admin') })).body.secrets).toEqual([]);
    expect((await send('POST', `${base(tenant)}/${secretId}/rotate`, { token: token('admin'), body: { value: 'again' } })).status).toBe(404);
    expect((await send('DELETE', `${base(tenant)}/${secretId}`, { token: token('admin') })).status).toBe(404);
  });
});
