// Against real FerretDB, Redis and SMTP: does account rectification rank the actor by the memberships projection (an admin never reaches the owner or another admin), does a new email wait for its link while the old address is told, and do role changes and ownership transfers reach the next session?
import { authV1 } from '@enclave/proto';
import { SmtpCatcherClient, uniqueName, waitFor } from '@enclave/testing';
import { EMAIL_CHANGE_TTL_MS } from './domain/email-change';
import { EMAIL_CHANGE_SUBJECT } from './application/email-change-mail-content';
import type { TenantFact } from '../memberships/domain/tenant-facts';
import { sessionClaims } from '../sessions/domain/session-claims';
import type { Role } from '../shared/roles';
import { postJson, startAuth, tokenFromMail, uniqueEmail, type AuthHarness } from '../test-support/auth-test-kit.helper.spec';

jest.setTimeout(90_000);

const smtp = new SmtpCatcherClient();
const tenantId = uniqueName('tenant');
const people = {
  owner: { email: uniqueEmail('owner'), name: 'Olive Owner' },
  admin: { email: uniqueEmail('admin'), name: 'Adam Admin' },
  admin2: { email: uniqueEmail('admin2'), name: 'Abby Admin' },
  member: { email: uniqueEmail('member'), name: 'Max Member' },
  auditor: { email: uniqueEmail('auditor'), name: 'Aud Auditor' },
};
type Who = keyof typeof people;
const ids = {} as Record<Who, string>;
let auth: AuthHarness;
let version = 0;

/** Applies a tenant fact; sessions minted afterwards are issued after any not-before it raised (a second later). */
const apply = async (fact: TenantFact) => {
  await auth.runtime.applyTenantFact.execute(fact, { tenantId, eventId: uniqueName('evt'), version: ++version, actor: { kind: 'service', name: 'tenant' }, occurredAtMs: Date.now() });
  auth.clock.advance(1000);
};
const mint = (who: Who, role: Role) =>
  auth.runtime.signer.sign(sessionClaims({ subjectId: ids[who], tenantId, role, sessionId: uniqueName('sid'), nowMs: auth.clock.nowMs(), ttlMs: 3_600_000 }));
async function patch(path: string, body: unknown, token: string) {
  const res = await fetch(`${auth.baseUrl}${path}`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const account = (who: Who) => `/v1/tenants/${tenantId}/accounts/${ids[who]}`;
const rectified = async (who: Who) =>
  (await auth.runtime.store.readStream(`account-${ids[who]}`, { tenantId: tenantId as never })).filter((e) => e.type === 'auth.AccountRectified');
const contact = (who: Who) => auth.runtime.accounts.findContact(tenantId, ids[who]).then(async (c) => (await auth.personalFields.open({ tenantId, subjectId: ids[who], field: 'email' }, c!.email))!);
function confirmationToken(text: string | null): string {
  const match = /\/confirm-email\?tenant=[^&\s]+&token=([A-Za-z0-9_-]{43})/.exec(text ?? '');
  if (!match) throw new Error('no confirmation link in the mail');
  return match[1]!;
}
const mailsTo = async (to: string, subject: string) => (await smtp.list(to)).filter((m) => m.subject === subject);

beforeAll(async () => {
  auth = await startAuth();
  for (const who of Object.keys(people) as Who[]) {
    ids[who] = (await auth.runtime.registerAccount.execute({ tenantId, email: people[who].email, displayName: people[who].name }, { kind: 'service', name: 'tenant' })).subjectId;
  }
  await apply({ type: 'InstanceCreated', instanceName: 'Acme', ownerSubjectId: ids.owner });
  await apply({ type: 'MemberAdded', subjectId: ids.owner, role: 'owner' });
  await apply({ type: 'MemberAdded', subjectId: ids.admin, role: 'admin' });
  await apply({ type: 'MemberAdded', subjectId: ids.admin2, role: 'admin' });
  await apply({ type: 'MemberAdded', subjectId: ids.member, role: 'member' });
  await apply({ type: 'MemberAdded', subjectId: ids.auditor, role: 'auditor' });
});

afterAll(async () => {
  await auth?.stop();
});

describe('the admin rectification route ranks the actor', () => {
  it("403: an admin changing the owner's email or name; nothing is mailed, nothing recorded", async () => {
    const newEmail = uniqueEmail('takeover');
    for (const body of [{ email: newEmail }, { displayName: 'Not The Owner' }]) {
      const res = await patch(account('owner'), body, mint('admin', 'admin'));
      expect(res).toEqual({ status: 403, body: { error: 'forbidden', message: "nobody but the owner may act on the owner's account" } });
    }
    expect(await smtp.list(newEmail)).toEqual([]);
    expect(await rectified('owner')).toEqual([]);
    expect(await contact('owner')).toBe(people.owner.email);
  });

  it('403: an admin changing another admin', async () => {
    const res = await patch(account('admin2'), { displayName: 'Demoted' }, mint('admin', 'admin'));
    expect(res).toEqual({ status: 403, body: { error: 'forbidden', message: 'an admin may not act on an account of equal or higher rank' } });
  });

  it('403 even with an owner claim in the session: the projection says admin', async () => {
    expect((await patch(account('admin2'), { displayName: 'Forged' }, mint('admin', 'owner'))).status).toBe(403);
  });

  it("200: an admin correcting a member's or auditor's name; the owner an admin's", async () => {
    expect(await patch(account('member'), { displayName: 'Maximilian Member' }, mint('admin', 'admin'))).toMatchObject({ status: 200, body: { displayName: 'Maximilian Member' } });
    expect((await patch(account('auditor'), { displayName: 'Audrey Auditor' }, mint('admin', 'admin'))).status).toBe(200);
    expect((await patch(account('admin2'), { displayName: 'Abigail Admin' }, mint('owner', 'owner'))).status).toBe(200);
  });

  it('403 once the admin is demoted (MemberRoleChanged) or removed, whatever the session says', async () => {
    await apply({ type: 'MemberRoleChanged', subjectId: ids.admin2, role: 'member' });
    expect((await patch(account('auditor'), { displayName: 'X' }, mint('admin2', 'admin'))).status).toBe(403);
    await apply({ type: 'MemberRoleChanged', subjectId: ids.admin2, role: 'admin' });
    expect((await patch(account('auditor'), { displayName: 'Audrey A' }, mint('admin2', 'admin'))).status).toBe(200);
  });
});

describe('a new email address needs its link', () => {
  it('202: nothing changes yet; the old address gets a notice, the new one the link', async () => {
    const newEmail = uniqueEmail('max-new');
    const res = await patch('/v1/auth/accounts/me', { email: newEmail }, mint('member', 'member'));
    expect(res).toEqual({
      status: 202,
      body: { subjectId: ids.member, tenantId, email: people.member.email, displayName: 'Maximilian Member', createdAt: expect.any(String), emailChange: 'confirmation_sent' },
    });
    expect(await contact('member')).toBe(people.member.email);
    const notice = await smtp.waitForMail(people.member.email, { match: (m) => m.subject === EMAIL_CHANGE_SUBJECT.notice });
    expect(notice.text).toContain('You asked to change the email address');
    expect(notice.text).not.toContain(newEmail);
    expect(notice.replyTo).toBe(people.owner.email);
    const confirmation = await smtp.waitForMail(newEmail, { match: (m) => m.subject === EMAIL_CHANGE_SUBJECT.confirmation });
    // Sign-in still follows the old address only.
    expect((await postJson(auth.baseUrl, '/v1/auth/login-links', { tenantId, email: newEmail }, '203.0.113.21')).status).toBe(202);
    await auth.runtime.tasks.drain();
    expect((await smtp.list(newEmail)).filter((m) => m.subject !== EMAIL_CHANGE_SUBJECT.confirmation)).toEqual([]);

    const token = confirmationToken(confirmation.text);
    const confirmed = await postJson(auth.baseUrl, '/v1/auth/email-changes/confirm', { token });
    expect(confirmed).toMatchObject({ status: 200, body: { status: 'confirmed', tenantId } });
    expect(await contact('member')).toBe(newEmail);
    const events = await rectified('member');
    const last = authV1.AuthEvent.decode(events.at(-1)!.payload).event;
    expect(last).toMatchObject({ $case: 'accountRectified', value: { fields: ['email'] } });
    expect(events.at(-1)!.actor).toMatchObject({ id: ids.member });

    expect(await postJson(auth.baseUrl, '/v1/auth/email-changes/confirm', { token })).toMatchObject({ status: 400, body: { error: 'invalid_link' } });
    expect((await postJson(auth.baseUrl, '/v1/auth/login-links', { tenantId, email: newEmail }, '203.0.113.22')).status).toBe(202);
    await auth.runtime.tasks.drain();
    expect(tokenFromMail((await smtp.waitForMail(newEmail, { match: (m) => m.subject !== EMAIL_CHANGE_SUBJECT.confirmation })).text).tenant).toBe(tenantId);
    people.member.email = newEmail;
  });

  it("202 for an admin changing a member's email: the notice says an administrator asked; the change is the admin's", async () => {
    const newEmail = uniqueEmail('aud-new');
    expect((await patch(account('auditor'), { email: newEmail }, mint('admin', 'admin'))).status).toBe(202);
    const notice = await smtp.waitForMail(people.auditor.email, { match: (m) => m.subject === EMAIL_CHANGE_SUBJECT.notice });
    expect(notice.text).toContain('An administrator of your instance asked');
    const token = confirmationToken((await smtp.waitForMail(newEmail, { match: (m) => m.subject === EMAIL_CHANGE_SUBJECT.confirmation })).text);
    expect((await postJson(auth.baseUrl, '/v1/auth/email-changes/confirm', { token })).status).toBe(200);
    expect((await rectified('auditor')).at(-1)!.actor).toMatchObject({ id: ids.admin, role: 'admin' });
  });

  it('refuses the link once the requester no longer outranks the person, and once it expired', async () => {
    const demote = uniqueEmail('demote');
    expect((await patch(account('auditor'), { email: demote }, mint('admin2', 'admin'))).status).toBe(202);
    const demoteToken = confirmationToken((await smtp.waitForMail(demote, { match: (m) => m.subject === EMAIL_CHANGE_SUBJECT.confirmation })).text);
    await apply({ type: 'MemberRoleChanged', subjectId: ids.admin2, role: 'member' });
    expect((await postJson(auth.baseUrl, '/v1/auth/email-changes/confirm', { token: demoteToken })).status).toBe(403);

    const late = uniqueEmail('late');
    expect((await patch('/v1/auth/accounts/me', { email: late }, mint('owner', 'owner'))).status).toBe(202);
    const lateToken = confirmationToken((await smtp.waitForMail(late, { match: (m) => m.subject === EMAIL_CHANGE_SUBJECT.confirmation })).text);
    auth.clock.advance(EMAIL_CHANGE_TTL_MS + 1);
    expect(await postJson(auth.baseUrl, '/v1/auth/email-changes/confirm', { token: lateToken })).toMatchObject({ status: 400, body: { error: 'invalid_link' } });
    expect(await contact('owner')).toBe(people.owner.email);
  });

  it('400 for a malformed or unknown token, 409 (nothing mailed) for an address another account holds', async () => {
    expect((await postJson(auth.baseUrl, '/v1/auth/email-changes/confirm', { token: 'x' })).status).toBe(400);
    expect((await postJson(auth.baseUrl, '/v1/auth/email-changes/confirm', { token: 'A'.repeat(43) })).status).toBe(400);
    expect((await postJson(auth.baseUrl, '/v1/auth/email-changes/confirm', {})).status).toBe(400);
    const before = (await mailsTo(people.admin.email, EMAIL_CHANGE_SUBJECT.confirmation)).length;
    expect((await patch('/v1/auth/accounts/me', { email: people.admin.email }, mint('member', 'member'))).status).toBe(409);
    expect((await mailsTo(people.admin.email, EMAIL_CHANGE_SUBJECT.confirmation)).length).toBe(before);
  });
});

describe('role changes and ownership transfers reach the next session', () => {
  async function signIn(who: Who, ip: string) {
    const before = (await smtp.list(people[who].email)).length;
    expect((await postJson(auth.baseUrl, '/v1/auth/login-links', { tenantId, email: people[who].email }, ip)).status).toBe(202);
    await auth.runtime.tasks.drain();
    const mail = await waitFor(async () => {
      const all = await smtp.list(people[who].email);
      return all.length > before && all.at(-1)!;
    }, { timeoutMs: 10_000, description: 'a sign-in mail' });
    return postJson(auth.baseUrl, '/v1/auth/sessions', { token: tokenFromMail(mail.text).token }, ip);
  }

  it('after OwnershipTransferred and the two role changes, the new owner signs in as owner and the former as admin', async () => {
    await apply({ type: 'OwnershipTransferred', fromSubjectId: ids.owner, toSubjectId: ids.admin });
    await apply({ type: 'MemberRoleChanged', subjectId: ids.admin, role: 'owner' });
    await apply({ type: 'MemberRoleChanged', subjectId: ids.owner, role: 'admin' });
    expect((await signIn('admin', '203.0.113.31')).body).toMatchObject({ subjectId: ids.admin, role: 'owner' });
    expect((await signIn('owner', '203.0.113.32')).body).toMatchObject({ subjectId: ids.owner, role: 'admin' });
    expect(await auth.runtime.tenants.findProfile(tenantId)).toMatchObject({ instanceName: 'Acme', ownerSubjectId: ids.admin });
    // And the rank follows: the former owner may no longer touch the new owner's account.
    expect((await patch(account('admin'), { displayName: 'X' }, mint('owner', 'owner'))).status).toBe(403);
  });
});
