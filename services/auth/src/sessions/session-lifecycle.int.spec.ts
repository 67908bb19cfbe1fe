// Against real Kafka, FerretDB, Redis and SMTP: do sign-ins get short access tokens with a
// rotating refresh token, does a refresh carry the current role, and do removal, role change,
// logout, "sign out everywhere" and a replayed refresh token end access on this replica at once
// and, through SessionsRevoked on the auth topic, on another service's replica within seconds?
import { Kafka, logLevel } from 'kafkajs';
import { SessionRevocationFeed, SessionRevocations, REVOCATION_RETENTION_MS, StaticKeysSessionVerifier, RevocationCheckingVerifier } from '@enclave/session';
import { loadInfraEnv, SmtpCatcherClient, uniqueName, waitFor } from '@enclave/testing';
import { quietLogger, startAuth, TenantEventProducer, tenantEvents, tokenFromMail, uniqueEmail, postJson, type AuthHarness } from '../test-support/auth-test-kit.helper.spec';

jest.setTimeout(120_000);

const smtp = new SmtpCatcherClient();
const tenantId = uniqueName('tenant');
let auth: AuthHarness;
let producer: TenantEventProducer;
let otherReplica: { revocations: SessionRevocations; feed: SessionRevocationFeed; verifier: RevocationCheckingVerifier };
const people: Record<string, { id: string; email: string; mails: number }> = {};

interface Issued {
  token: string;
  refreshToken: string;
  sessionId: string;
  role: string;
  expiresAt: string;
}

async function addPerson(who: string, role: string): Promise<void> {
  const email = uniqueEmail(who);
  const { subjectId } = await auth.runtime.registerAccount.execute({ tenantId, email, displayName: who }, { kind: 'service', name: 'tenant' });
  people[who] = { id: subjectId, email, mails: 0 };
  await producer.send(tenantEvents.memberAdded(subjectId, role));
}

/** A new sign-in: the invitation first, then login links (each waits for its own mail). */
async function signIn(who: string): Promise<Issued> {
  const person = people[who]!;
  if (person.mails > 0) expect((await postJson(auth.baseUrl, '/v1/auth/login-links', { tenantId, email: person.email })).status).toBe(202);
  const seen = person.mails;
  await waitFor(async () => (await smtp.list(person.email)).length > seen, { timeoutMs: 30_000, description: `mail ${seen + 1} to ${who}` });
  const mail = (await smtp.list(person.email))[seen]!;
  person.mails = seen + 1;
  const res = await postJson(auth.baseUrl, '/v1/auth/sessions', { token: tokenFromMail(mail.text).token });
  expect(res.status).toBe(200);
  return res.body as unknown as Issued;
}

const call = async (method: string, path: string, token?: string) => {
  const res = await fetch(`${auth.baseUrl}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, headers: res.headers };
};
const whoAmI = (token: string) => call('GET', '/v1/auth/session', token);
const refresh = (refreshToken: string) => postJson(auth.baseUrl, '/v1/auth/refresh', { refreshToken });
const refusedElsewhere = (token: string) => otherReplica.verifier.verify(token).then(() => false, () => true);

beforeAll(async () => {
  auth = await startAuth({ withKafka: true });
  producer = await TenantEventProducer.connect(auth.kafka!, auth.topics.tenant, tenantId);
  await producer.send(tenantEvents.instanceCreated('Acme', 'nobody-yet'));
  await Promise.all([addPerson('admin', 'admin'), addPerson('member', 'member')]);
  // Another service's replica: the same in-memory list, fed from the auth topic in a group of its own.
  const revocations = new SessionRevocations(REVOCATION_RETENTION_MS);
  const feed = new SessionRevocationFeed({
    kafka: new Kafka({ clientId: uniqueName('replica'), brokers: loadInfraEnv().kafkaBrokers, logLevel: logLevel.NOTHING }),
    revocations, groupPrefix: 'replica', topic: auth.topics.auth, logger: quietLogger(),
  });
  otherReplica = { revocations, feed, verifier: new RevocationCheckingVerifier(new StaticKeysSessionVerifier(auth.runtime.signer.jwks(), () => auth.clock.nowMs()), revocations) };
  await feed.start();
  await waitFor(() => feed.ready && auth.runtime.revocationsReady(), { timeoutMs: 60_000, description: 'revocation feeds reading' });
});

afterAll(async () => {
  await otherReplica?.feed.stop();
  await producer?.disconnect();
  await auth?.stop();
});

describe('sign-in and refresh', () => {
  it('issues a 5-minute access token, a refresh token and both HttpOnly cookies', async () => {
    const issued = await signIn('member');
    expect(Date.parse(issued.expiresAt) - auth.clock.nowMs()).toBeLessThanOrEqual(5 * 60_000);
    expect(issued.refreshToken.startsWith(`${issued.sessionId}.`)).toBe(true);
    expect((await whoAmI(issued.token)).status).toBe(200);
  });

  it('refuses an expired access token, and a refresh gives a working one and rotates the refresh token', async () => {
    const issued = await signIn('admin');
    auth.clock.advance(6 * 60_000);
    expect((await whoAmI(issued.token)).status).toBe(401);
    const refreshed = await refresh(issued.refreshToken);
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('set-cookie')).toMatch(/enclave_refresh=[^;]+; Max-Age=\d+; Path=\/v1\/auth; HttpOnly; SameSite=Strict/);
    const next = refreshed.body as unknown as Issued;
    expect(next.refreshToken).not.toBe(issued.refreshToken);
    expect(next.sessionId).toBe(issued.sessionId);
    expect((await whoAmI(next.token)).status).toBe(200);
  });

  it('refuses the token another tab just rotated without ending the sign-in', async () => {
    const issued = await signIn('admin');
    const [a, b] = await Promise.all([refresh(issued.refreshToken), refresh(issued.refreshToken)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = (a.status === 200 ? a : b).body as unknown as Issued;
    expect((await refresh(issued.refreshToken)).status).toBe(401);
    expect((await whoAmI(winner.token)).status).toBe(200);
    expect((await refresh(winner.refreshToken)).status).toBe(200);
  });

  it('ends the sign-in when a used refresh token comes back later (replay), on every replica', async () => {
    const issued = await signIn('admin');
    const next = (await refresh(issued.refreshToken)).body as unknown as Issued;
    auth.clock.advance(11_000);
    expect((await refresh(issued.refreshToken)).status).toBe(401);
    expect((await whoAmI(next.token)).status).toBe(401);
    expect((await refresh(next.refreshToken)).status).toBe(401);
    await waitFor(() => refusedElsewhere(next.token), { timeoutMs: 30_000, description: 'the other replica to refuse the replayed sign-in' });
  });

  it('answers 401 invalid_refresh for a malformed or unknown refresh token', async () => {
    for (const bad of ['x', `${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}.${'A'.repeat(43)}`]) {
      const res = await refresh(bad);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'invalid_refresh' });
    }
    expect((await postJson(auth.baseUrl, '/v1/auth/refresh', { refreshToken: 5 })).status).toBe(400);
  });
});

describe('the session list', () => {
  it('lists the caller\'s own sign-ins without secrets, ends one, then all of them', async () => {
    const first = await signIn('member');
    const second = await signIn('member');
    const listed = await call('GET', '/v1/auth/sessions', first.token);
    expect(listed.status).toBe(200);
    const sessions = listed.body!.sessions as Array<Record<string, unknown>>;
    expect(sessions.map((s) => s.id)).toEqual(expect.arrayContaining([first.sessionId, second.sessionId]));
    expect(sessions.find((s) => s.id === first.sessionId)).toMatchObject({ current: true });
    expect(JSON.stringify(listed.body)).not.toContain(first.refreshToken.split('.')[1]);

    expect((await call('DELETE', `/v1/auth/sessions/${second.sessionId}`, first.token)).status).toBe(204);
    expect((await whoAmI(second.token)).status).toBe(401);
    expect((await whoAmI(first.token)).status).toBe(200);

    const admin = await signIn('admin');
    expect((await call('DELETE', `/v1/auth/sessions/${admin.sessionId}`, first.token)).status).toBe(404);
    expect((await call('DELETE', '/v1/auth/sessions/not-an-id', first.token)).status).toBe(400);

    const third = await signIn('member');
    const all = await call('POST', '/v1/auth/sessions/revoke-all', first.token);
    expect(all.status).toBe(200);
    for (const s of [first, third]) {
      expect((await whoAmI(s.token)).status).toBe(401);
      expect((await refresh(s.refreshToken)).status).toBe(401);
    }
    await waitFor(() => refusedElsewhere(third.token), { timeoutMs: 30_000, description: 'the other replica to refuse the signed-out sessions' });
    expect((await whoAmI(admin.token)).status).toBe(200);
  });

  it('logout ends the current sign-in by its refresh token and clears both cookies', async () => {
    const issued = await signIn('admin');
    const res = await postJson(auth.baseUrl, '/v1/auth/logout', { refreshToken: issued.refreshToken });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toContain('enclave_refresh=;');
    expect((await whoAmI(issued.token)).status).toBe(401);
    expect((await refresh(issued.refreshToken)).status).toBe(401);
    await waitFor(() => refusedElsewhere(issued.token), { timeoutMs: 30_000, description: 'the other replica to refuse the logged-out session' });
  });
});

describe('membership changes from the tenant topic', () => {
  it('a role change refuses the old token everywhere; a refresh carries the new role', async () => {
    await addPerson('demoted', 'admin');
    const issued = await signIn('demoted');
    expect((await whoAmI(issued.token)).body).toMatchObject({ role: 'admin' });
    auth.clock.advance(1500); // the role change happens after the token's issue second
    await producer.send(tenantEvents.memberRoleChanged(people.demoted!.id, 'member'));
    await waitFor(async () => (await whoAmI(issued.token)).status === 401, { timeoutMs: 30_000, description: 'the demoted admin token to be refused' });
    await waitFor(() => refusedElsewhere(issued.token), { timeoutMs: 30_000, description: 'the other replica to refuse it' });
    const refreshed = await refresh(issued.refreshToken);
    expect(refreshed.status).toBe(200);
    const next = refreshed.body as unknown as Issued;
    expect(next.role).toBe('member');
    expect((await whoAmI(next.token)).body).toMatchObject({ role: 'member' });
    expect(await otherReplica.verifier.verify(next.token)).toMatchObject({ role: 'member' });
  });

  it('a removal ends every sign-in of the person everywhere, refresh included', async () => {
    await addPerson('removed', 'admin');
    const issued = await signIn('removed');
    await producer.send(tenantEvents.memberRemoved(people.removed!.id));
    await waitFor(async () => (await whoAmI(issued.token)).status === 401, { timeoutMs: 30_000, description: 'the removed admin token to be refused' });
    await waitFor(() => refusedElsewhere(issued.token), { timeoutMs: 30_000, description: 'the other replica to refuse it' });
    expect((await refresh(issued.refreshToken)).status).toBe(401);
  });
});
