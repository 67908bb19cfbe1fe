// Against real FerretDB, Redis and SMTP: do login links answer the same for everyone, mail only active members, work exactly once before they expire, and stop at the rate limits?
import { SmtpCatcherClient, uniqueName, type CaughtMail } from '@enclave/testing';
import { hashLoginToken } from './domain/login-token';
import { postJson, startAuth, tokenFromMail, uniqueEmail, type AuthHarness } from '../test-support/auth-test-kit.helper.spec';

jest.setTimeout(60_000);

const smtp = new SmtpCatcherClient();
const tenantId = uniqueName('tenant');
const ownerEmail = uniqueEmail('owner');
let auth: AuthHarness;
let version = 0;
let ipCounter = 0;
/** A fresh client IP per request unless a test means to share one. */
const nextIp = () => `192.0.2.${(ipCounter++ % 250) + 1}`;
const isSignIn = (mail: CaughtMail) => mail.subject === 'Your Enclave sign-in link';

const requestLink = (email: string, ip = nextIp(), tenant = tenantId) => postJson(auth.baseUrl, '/v1/auth/login-links', { tenantId: tenant, email }, ip);
const exchange = (token: string) => postJson(auth.baseUrl, '/v1/auth/sessions', { token });
const tenantFact = (fact: Parameters<AuthHarness['runtime']['applyTenantFact']['execute']>[0]) =>
  auth.runtime.applyTenantFact.execute(fact, { tenantId, eventId: uniqueName('evt'), version: ++version, actor: { kind: 'service', name: 'tenant' }, occurredAtMs: Date.now() });

/** An account that the tenant added as a member: the only kind of person who may get a link. */
async function addMember(role: 'owner' | 'admin' | 'member' | 'auditor' = 'member', email = uniqueEmail(role)) {
  const { subjectId } = await auth.runtime.registerAccount.execute({ tenantId, email, displayName: 'Test Person' }, { kind: 'service', name: 'tenant' });
  await tenantFact({ type: 'MemberAdded', subjectId, role });
  return { subjectId, email };
}

/** Requests a link for an active member and returns the token from the mail. */
async function linkFor(email: string): Promise<string> {
  expect((await requestLink(email)).status).toBe(202);
  await auth.runtime.tasks.drain();
  return tokenFromMail((await smtp.waitForMail(email, { match: isSignIn })).text).token;
}

beforeAll(async () => {
  auth = await startAuth();
  const { subjectId: ownerId } = await auth.runtime.registerAccount.execute({ tenantId, email: ownerEmail, displayName: 'Olive' }, { kind: 'service', name: 'tenant' });
  await tenantFact({ type: 'InstanceCreated', instanceName: 'Acme', ownerSubjectId: ownerId });
  await tenantFact({ type: 'MemberAdded', subjectId: ownerId, role: 'owner' });
});

afterAll(async () => {
  await auth?.stop();
});

describe('POST /v1/auth/login-links', () => {
  it('mails an active member a sign-in link, Reply-To the owner, and records LoginLinkIssued', async () => {
    const { email, subjectId } = await addMember('auditor');
    const res = await requestLink(email.toUpperCase());
    expect(res).toMatchObject({ status: 202, body: { status: 'accepted' } });
    await auth.runtime.tasks.drain();
    const mail = await smtp.waitForMail(email, { match: isSignIn });
    expect(mail.replyTo).toBe(ownerEmail);
    expect(mail.text).toContain(`http://127.0.0.1:7100/login?tenant=${tenantId}&token=`);
    const events = await auth.runtime.store.readStream(`account-${subjectId}`, { tenantId: tenantId as never });
    expect(events).toHaveLength(1);
  });

  it('answers an unknown email exactly as a member, and mails nobody', async () => {
    const { email } = await addMember();
    const stranger = uniqueEmail('stranger');
    const known = await requestLink(email);
    const unknown = await requestLink(stranger);
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    await auth.runtime.tasks.drain();
    await smtp.waitForMail(email, { match: isSignIn });
    expect(await smtp.list(stranger)).toEqual([]);
  });

  it('mails nobody for a member of another tenant', async () => {
    const { email } = await addMember();
    expect((await requestLink(email, nextIp(), uniqueName('other-tenant'))).status).toBe(202);
    await auth.runtime.tasks.drain();
    expect((await smtp.list(email)).filter(isSignIn)).toEqual([]);
  });

  it('refuses the 6th request for one email within the window with 429, known or not', async () => {
    const { email } = await addMember();
    const stranger = uniqueEmail('stranger');
    for (const address of [email, stranger]) {
      for (let i = 0; i < 5; i++) expect((await requestLink(address)).status).toBe(202);
      const refused = await requestLink(address);
      expect(refused).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    await auth.runtime.tasks.drain();
    expect((await smtp.list(email)).filter(isSignIn)).toHaveLength(5);
  });

  it('refuses the 11th request from one client IP with 429, whatever the emails', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < 10; i++) expect((await requestLink(uniqueEmail('spray'), ip)).status).toBe(202);
    const { email } = await addMember();
    expect(await requestLink(email, ip)).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    expect((await requestLink(email, nextIp())).status).toBe(202);
  });

  it('never stores the client IP', async () => {
    const ip = '198.18.42.99';
    await requestLink(uniqueEmail('ip'), ip);
    await auth.runtime.tasks.drain();
    for (const name of ['accounts', 'memberships', 'tenants', 'login_links', 'events']) {
      const docs = await auth.connection.collection(name).find({}).toArray();
      expect(JSON.stringify(docs)).not.toContain(ip);
    }
  });
});

describe('RegisterAccount', () => {
  it('creates one account when the same new email is registered concurrently', async () => {
    const email = uniqueEmail('racer');
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        auth.runtime.registerAccount.execute({ tenantId, email: i % 2 ? email.toUpperCase() : email, displayName: 'R' }, { kind: 'service', name: 'tenant' }),
      ),
    );
    expect(new Set(results.map((r) => r.subjectId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const events = await auth.runtime.store.readStream(`account-${results[0]!.subjectId}`, { tenantId: tenantId as never });
    expect(events.map((e) => e.type)).toEqual(['auth.AccountRegistered']);
  });
});

describe('POST /v1/auth/sessions with a sign-in link', () => {
  it('works once; the second exchange gets 401 invalid_link', async () => {
    const { email, subjectId } = await addMember('admin');
    const token = await linkFor(email);
    expect(await exchange(token)).toMatchObject({ status: 200, body: { subjectId, tenantId, role: 'admin' } });
    expect(await exchange(token)).toMatchObject({ status: 401, body: { error: 'invalid_link' } });
  });

  it('lets exactly one of several concurrent exchanges of the same link win', async () => {
    const { email } = await addMember();
    const token = await linkFor(email);
    const results = await Promise.all([exchange(token), exchange(token), exchange(token), exchange(token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);
    const winner = results.find((r) => r.status === 200)!.body!.subjectId;
    expect(await auth.connection.collection('events').countDocuments({ type: 'auth.SessionStarted', subjectId: winner })).toBe(1);
  });

  it('hands the link to exactly one of ten simultaneous claims in the store', async () => {
    const { email } = await addMember();
    const tokenHash = hashLoginToken(await linkFor(email));
    const claims = await Promise.all(Array.from({ length: 10 }, () => auth.runtime.links.claim(tokenHash, auth.clock.nowMs())));
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
    expect((await auth.runtime.links.findByTokenHash(tokenHash))!.usedAtMs).toBe(auth.clock.nowMs());
  });

  it('works until the last moment of its lifetime', async () => {
    const { email } = await addMember();
    const token = await linkFor(email);
    auth.clock.advance(auth.settings.loginLinkTtlMs - 1);
    expect((await exchange(token)).status).toBe(200);
  });

  it('is refused with the same 401 once expired', async () => {
    const { email } = await addMember();
    const token = await linkFor(email);
    auth.clock.advance(auth.settings.loginLinkTtlMs);
    expect(await exchange(token)).toMatchObject({ status: 401, body: { error: 'invalid_link' } });
  });

  it('is refused when the member was removed after the link was mailed', async () => {
    const { email, subjectId } = await addMember();
    const token = await linkFor(email);
    await tenantFact({ type: 'MemberRemoved', subjectId });
    expect(await exchange(token)).toMatchObject({ status: 401, body: { error: 'invalid_link' } });
  });

  it('signs the role the member holds when the session starts', async () => {
    const { email, subjectId } = await addMember('member');
    const token = await linkFor(email);
    await tenantFact({ type: 'MemberRemoved', subjectId });
    await tenantFact({ type: 'MemberAdded', subjectId, role: 'auditor' });
    expect(await exchange(token)).toMatchObject({ status: 200, body: { role: 'auditor' } });
  });
});
