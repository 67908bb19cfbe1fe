// With all six services as real processes: does access end when membership ends (issue 10)? A
// removed admin's session is refused by every service within seconds and their virtual key with
// it; a demotion shows at once; logout and "sign out everywhere" end sessions everywhere; a
// refresh gives a working token; an expired access token is refused.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { SmtpCatcherClient, uniqueName, waitFor, type CaughtMail } from '@enclave/testing';
import { call } from './http';
import { stackGroups, startGroupsAtTopicEnds } from './support/skip-topic-history';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stack = require('../../scripts/local-stack.js');

const PORT_BASE = 25100;
/** Short access tokens, so the expiry probe can wait one out; revocations must beat them by far. */
const ACCESS_TTL_MS = 45_000;
const run = uniqueName('sr').replace(/[^a-z0-9]/gi, '').toLowerCase();
const dbPrefix = `sr${run.slice(-10)}`;
const logDir = path.join(__dirname, '../../.enclave/logs', dbPrefix);
const email = (who: string) => `${who}.${run}@example.test`;
const SIGN_IN_SUBJECT = 'Your Enclave sign-in link';
const REVOKED = /revoked/;

jest.setTimeout(300_000);

interface Issued {
  token: string;
  refreshToken: string;
  sessionId: string;
  subjectId: string;
  role: string;
}

describe('access ends when membership ends (issue 10)', () => {
  const smtp = new SmtpCatcherClient();
  const url = (service: string, p: string) => `http://127.0.0.1:${stack.ports(PORT_BASE)[service].http}${p}`;
  let running: { stop: () => Promise<void> };
  let tenantId = '';
  const people: Record<string, Issued> = {};

  const tokenIn = (mail: CaughtMail) => {
    const match = /\/login\?tenant=[^&\s]+&token=([A-Za-z0-9_-]{43})/.exec(mail.text ?? '');
    if (!match) throw new Error('mail carries no sign-in link');
    return match[1]!;
  };
  const exchange = async (mail: CaughtMail): Promise<Issued> => {
    const res = await call('POST', url('auth', '/v1/auth/sessions'), { body: { token: tokenIn(mail) } });
    expect(res.status).toBe(200);
    return res.body as Issued;
  };
  const signInAgain = async (who: string): Promise<Issued> => {
    const before = (await smtp.list(email(who))).length;
    expect((await call('POST', url('auth', '/v1/auth/login-links'), { body: { tenantId, email: email(who) } })).status).toBe(202);
    const mail = await waitFor(
      async () => (await smtp.list(email(who))).slice(before).find((m) => m.subject === SIGN_IN_SUBJECT),
      { timeoutMs: 30_000, intervalMs: 300, description: `a sign-in link for ${who}` },
    );
    return exchange(mail);
  };
  /** A fresh access token for the person's sign-in (the refresh token rotates). */
  const refreshed = async (who: string): Promise<string> => {
    const res = await call('POST', url('auth', '/v1/auth/refresh'), { body: { refreshToken: people[who]!.refreshToken } });
    expect(res.status).toBe(200);
    people[who] = res.body as Issued;
    return people[who]!.token;
  };
  const refreshStatus = async (refreshToken: string) => (await call('POST', url('auth', '/v1/auth/refresh'), { body: { refreshToken } })).status;

  /** One request to each service that the person could make while a member. */
  const probes = (token: string) => ({
    auth: () => call('GET', url('auth', '/v1/auth/session'), { token }),
    tenant: () => call('GET', url('tenant', `/v1/tenants/${tenantId}/members`), { token }),
    keyVault: () => call('GET', url('key-vault', `/v1/tenants/${tenantId}/provider-keys`), { token }),
    chatGateway: () => call('GET', url('chat-gateway', '/v1/conversations'), { token }),
  });
  /** Polls until the service refuses the token as revoked (an expiry would say so instead). */
  const untilRevoked = async (service: string, request: () => Promise<{ status: number; body: any }>) => {
    const refused = await waitFor(
      async () => {
        const res = await request();
        return res.status === 401 ? res : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: `${service} to refuse the revoked session` },
    );
    expect(refused.body.message).toMatch(REVOKED);
  };

  beforeAll(async () => {
    await startGroupsAtTopicEnds(stackGroups(dbPrefix));
    running = await stack.startStack({
      portBase: PORT_BASE, dbPrefix, groupSuffix: dbPrefix, logDir, readyTimeoutMs: 90_000,
      extra: { auth: { ACCESS_TOKEN_TTL_MS: String(ACCESS_TTL_MS) } },
    });
    const created = await call('POST', url('tenant', '/v1/instances'), { body: { instanceName: `Access ${run}`, adminEmail: email('olive'), adminName: 'Olive Owner' } });
    expect(created.status).toBe(201);
    tenantId = created.body.tenantId;
    people.olive = await exchange(await smtp.waitForMail(email('olive'), { timeoutMs: 60_000 }));
    for (const [who, role] of [['adam', 'admin'], ['abby', 'admin'], ['mia', 'member']] as const) {
      const res = await call('POST', url('tenant', `/v1/tenants/${tenantId}/members`), { token: await refreshed('olive'), body: { email: email(who), name: who, role } });
      expect(res.status).toBe(201);
      people[who] = await exchange(await smtp.waitForMail(email(who), { timeoutMs: 60_000 }));
    }
    const key = await call('POST', url('key-vault', `/v1/tenants/${tenantId}/provider-keys`), {
      token: await refreshed('olive'),
      body: { provider: 'openai-compatible', label: 'sr', apiKey: `sk-sr-${randomBytes(18).toString('hex')}`, baseUrl: `http://127.0.0.1:${stack.ports(PORT_BASE).upstream}/v1` },
    });
    expect(key.status).toBe(201);
  }, 400_000);

  afterAll(async () => {
    await running?.stop();
  }, 30_000);

  it('refuses an expired access token, and a refresh gives a working one', async () => {
    const token = await refreshed('mia');
    expect((await probes(token).chatGateway()).status).toBe(200);
    const expired = await waitFor(
      async () => {
        const res = await probes(token).chatGateway();
        return res.status === 401 ? res : undefined;
      },
      { timeoutMs: ACCESS_TTL_MS + 60_000, intervalMs: 2000, description: 'the access token to expire' },
    );
    expect(expired.body.message).toMatch(/expired/);
    const next = await refreshed('mia');
    expect((await probes(next).chatGateway()).status).toBe(200);
  });

  it("ends a removed admin's session on every service within seconds, and refuses the virtual key they created", async () => {
    const token = await refreshed('adam');
    const virtualKey = await call('POST', url('chat-gateway', `/v1/tenants/${tenantId}/virtual-keys`), { token, body: { label: 'adam-key' } });
    expect(virtualKey.status).toBe(201);
    const apiKey = virtualKey.body.key as string;
    const models = () => call('GET', url('chat-gateway', '/v1/models'), { token: apiKey });
    expect((await models()).status).toBe(200);
    expect((await probes(token).keyVault()).status).toBe(200);

    const removed = await call('DELETE', url('tenant', `/v1/tenants/${tenantId}/members/${people.adam!.subjectId}`), { token: await refreshed('olive') });
    expect(removed.status).toBe(204);

    for (const [service, request] of Object.entries(probes(token))) await untilRevoked(service, request);
    const addMember = await call('POST', url('tenant', `/v1/tenants/${tenantId}/members`), { token, body: { email: email('eve'), name: 'Eve', role: 'admin' } });
    expect(addMember.status).toBe(401);
    expect(await refreshStatus(people.adam!.refreshToken)).toBe(401);
    await waitFor(async () => (await models()).status === 401, { timeoutMs: 30_000, intervalMs: 250, description: "the removed admin's virtual key to be refused" });
    const completion = await call('POST', url('chat-gateway', '/v1/chat/completions'), { token: apiKey, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] } });
    expect(completion.status).toBe(401);

    // Both ends are on the audit trail: the sessions, and the key revoked in the owner's name.
    const trail = async (type: string) =>
      waitFor(
        async () => {
          const r = await call('GET', url('audit', `/v1/tenants/${tenantId}/audit/events?type=${type}`), { token: await refreshed('olive') });
          return r.body?.entries?.length ? r.body.entries : undefined;
        },
        { timeoutMs: 180_000, intervalMs: 1000, description: `${type} on the audit trail` },
      );
    const [sessionsRevoked] = await trail('auth.SessionsRevoked');
    expect(sessionsRevoked).toMatchObject({ payload: { sessionsRevoked: { subjectId: people.adam!.subjectId, reason: 'member_removed' } } });
    const [keyRevoked] = await trail('chat-gateway.VirtualKeyRevoked');
    expect(keyRevoked).toMatchObject({ actor: { id: people.olive!.subjectId, role: 'owner' }, payload: { virtualKeyRevoked: { keyId: virtualKey.body.virtualKey.id } } });
  });

  it("refuses a demoted admin's old token at once; a refresh carries the member role", async () => {
    const token = await refreshed('abby');
    expect((await probes(token).keyVault()).status).toBe(200);
    const changed = await call('PATCH', url('tenant', `/v1/tenants/${tenantId}/members/${people.abby!.subjectId}`), { token: await refreshed('olive'), body: { role: 'member' } });
    expect(changed.status).toBe(200);

    await untilRevoked('key-vault', probes(token).keyVault);
    await untilRevoked('tenant', probes(token).tenant);
    const demoted = await refreshed('abby');
    expect((await probes(demoted).auth()).body).toMatchObject({ role: 'member' });
    expect((await probes(demoted).keyVault()).status).toBe(403);
    expect((await probes(demoted).chatGateway()).status).toBe(200);
  });

  it('logout ends the session everywhere, refresh token included', async () => {
    const token = await refreshed('mia');
    const out = await call('POST', url('auth', '/v1/auth/logout'), { body: { refreshToken: people.mia!.refreshToken } });
    expect(out.status).toBe(204);
    await untilRevoked('chat-gateway', probes(token).chatGateway);
    expect((await probes(token).auth()).status).toBe(401);
    expect(await refreshStatus(people.mia!.refreshToken)).toBe(401);
  });

  it('lists a member\'s sessions without secrets, and "sign out everywhere" ends all of them on every service', async () => {
    const first = await refreshed('olive');
    const second = await signInAgain('olive');
    const listed = await call('GET', url('auth', '/v1/auth/sessions'), { token: first });
    expect(listed.status).toBe(200);
    const ids = listed.body.sessions.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([people.olive!.sessionId, second.sessionId]));
    expect(JSON.stringify(listed.body)).not.toContain(second.refreshToken.split('.')[1]);

    const everywhere = await call('POST', url('auth', '/v1/auth/sessions/revoke-all'), { token: first });
    expect(everywhere.status).toBe(200);
    for (const token of [first, second.token]) {
      await untilRevoked('tenant', probes(token).tenant);
      await untilRevoked('key-vault', probes(token).keyVault);
    }
    for (const refreshToken of [people.olive!.refreshToken, second.refreshToken]) expect(await refreshStatus(refreshToken)).toBe(401);
    const back = await signInAgain('olive');
    expect((await probes(back.token).tenant()).status).toBe(200);
  });
});
