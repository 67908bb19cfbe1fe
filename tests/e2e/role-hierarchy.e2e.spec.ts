// With all six services as real processes: do the issue-10 probes inside one tenant now get the safe answer —
// an admin cannot take the owner's account over by email, cannot read a member's unlogged chats through the
// export (which lands on the member's receipt), cannot open an erasure for the owner or another admin — and
// does ownership change hands only by an offer the admin accepts, recorded on the audit trail?
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { SmtpCatcherClient, uniqueName, waitFor, type CaughtMail } from '@enclave/testing';
import { call, postSse } from './http';
import { stackGroups, startGroupsAtTopicEnds } from './support/skip-topic-history';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stack = require('../../scripts/local-stack.js');

const PORT_BASE = 23100;
const run = uniqueName('rh').replace(/[^a-z0-9]/gi, '').toLowerCase();
const dbPrefix = `rh${run.slice(-10)}`;
const logDir = path.join(__dirname, '../../.enclave/logs', dbPrefix);
const apiKey = `sk-rh-${randomBytes(18).toString('hex')}`;
const email = (who: string) => `${who}.${run}@example.test`;
const secret = `unlogged words ${randomBytes(6).toString('hex')}`;
const SIGN_IN_SUBJECT = 'Your Enclave sign-in link';
const CONFIRM_SUBJECT = 'Confirm your new Enclave email address';
const NOTICE_SUBJECT = 'A change of your Enclave email address was requested';
const tokenIn = (mail: CaughtMail, route: 'login' | 'confirm-email') => {
  const match = new RegExp(`/${route}\\?tenant=[^&\\s]+&token=([A-Za-z0-9_-]{43})`).exec(mail.text ?? '');
  if (!match) throw new Error(`mail carries no ${route} link`);
  return match[1]!;
};

jest.setTimeout(300_000);

describe('role hierarchy inside a tenant (issue 10 probes)', () => {
  const smtp = new SmtpCatcherClient();
  const url = (service: string, p: string) => `http://127.0.0.1:${stack.ports(PORT_BASE)[service].http}${p}`;
  const privacy = (p: string) => url('audit', `/v1/tenants/${tenantId}/privacy${p}`);
  let running: { stop: () => Promise<void> };
  let tenantId = '';
  const tokens: Record<string, string> = {};
  const refreshTokens: Record<string, string> = {};
  const subjects: Record<string, string> = {};

  const startSession = async (mail: CaughtMail) => {
    const res = await call('POST', url('auth', '/v1/auth/sessions'), { body: { token: tokenIn(mail, 'login') } });
    expect(res.status).toBe(200);
    return res.body as { token: string; refreshToken: string; subjectId: string; role: string };
  };
  /** The invitation a new person gets, exchanged for their first session. */
  const acceptInvitation = async (who: string) => {
    const session = await startSession(await smtp.waitForMail(email(who), { timeoutMs: 60_000 }));
    tokens[who] = session.token;
    refreshTokens[who] = session.refreshToken;
    subjects[who] = session.subjectId;
  };
  /** A sign-in link asked for now at `address`, and the session it gives. */
  const signInAgain = async (address: string) => {
    const before = (await smtp.list(address)).length;
    expect((await call('POST', url('auth', '/v1/auth/login-links'), { body: { tenantId, email: address } })).status).toBe(202);
    const mail = await waitFor(
      async () => {
        const all = await smtp.list(address);
        return all.length > before && all.slice(before).find((m) => m.subject === SIGN_IN_SUBJECT);
      },
      { timeoutMs: 30_000, intervalMs: 300, description: `a sign-in link for ${address}` },
    );
    return startSession(mail);
  };

  beforeAll(async () => {
    // Every tenant of this suite is created below: earlier runs' events on the shared broker are not ours to replay.
    await startGroupsAtTopicEnds(stackGroups(dbPrefix));
    running = await stack.startStack({ portBase: PORT_BASE, dbPrefix, groupSuffix: dbPrefix, logDir, readyTimeoutMs: 90_000 });
    const created = await call('POST', url('tenant', '/v1/instances'), {
      body: { instanceName: `Ranks ${run}`, adminEmail: email('olive'), adminName: 'Olive Owner' },
    });
    expect(created.status).toBe(201);
    tenantId = created.body.tenantId;
    await acceptInvitation('olive');
    for (const [who, name, role] of [['adam', 'Adam Admin', 'admin'], ['abby', 'Abby Admin', 'admin'], ['mia', 'Mia Member', 'member']] as const) {
      const res = await call('POST', url('tenant', `/v1/tenants/${tenantId}/members`), { token: tokens.olive, body: { email: email(who), name, role } });
      expect(res.status).toBe(201);
      await acceptInvitation(who);
    }
    const key = await call('POST', url('key-vault', `/v1/tenants/${tenantId}/provider-keys`), {
      token: tokens.olive,
      body: { provider: 'openai-compatible', label: 'rh', apiKey, baseUrl: `http://127.0.0.1:${stack.ports(PORT_BASE).upstream}/v1` },
    });
    expect(key.status).toBe(201);
  }, 400_000);

  afterAll(async () => {
    await running?.stop();
  }, 30_000);

  it("refuses an admin changing the owner's email (403); the owner still signs in as owner and nothing reaches the attacker", async () => {
    const attacker = email('attacker');
    const takeover = await call('PATCH', url('auth', `/v1/tenants/${tenantId}/accounts/${subjects.olive}`), { token: tokens.adam, body: { email: attacker } });
    expect(takeover.status).toBe(403);
    expect(takeover.body).toEqual({ error: 'forbidden', message: "nobody but the owner may act on the owner's account" });
    const rename = await call('PATCH', url('auth', `/v1/tenants/${tenantId}/accounts/${subjects.abby}`), { token: tokens.adam, body: { displayName: 'Not Abby' } });
    expect(rename.status).toBe(403);

    expect((await call('POST', url('auth', '/v1/auth/login-links'), { body: { tenantId, email: attacker } })).status).toBe(202);
    const owner = await signInAgain(email('olive'));
    expect(owner).toMatchObject({ subjectId: subjects.olive, role: 'owner' });
    expect(await smtp.list(attacker)).toEqual([]);
  });

  it("applies an admin's change of a member's email only from the link mailed to the new address, and tells the old one", async () => {
    const newAddress = email('mia-new');
    const asked = await call('PATCH', url('auth', `/v1/tenants/${tenantId}/accounts/${subjects.mia}`), { token: tokens.adam, body: { email: newAddress } });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ email: email('mia'), emailChange: 'confirmation_sent' });
    const notice = await smtp.waitForMail(email('mia'), { timeoutMs: 30_000, match: (m) => m.subject === NOTICE_SUBJECT });
    expect(notice.text).toContain('An administrator of your instance asked');
    expect(notice.text).not.toContain(newAddress);
    const link = await smtp.waitForMail(newAddress, { timeoutMs: 30_000, match: (m) => m.subject === CONFIRM_SUBJECT });
    const confirmed = await call('POST', url('auth', '/v1/auth/email-changes/confirm'), { body: { token: tokenIn(link, 'confirm-email') } });
    expect(confirmed).toMatchObject({ status: 200, body: { status: 'confirmed', tenantId } });
    expect(await signInAgain(newAddress)).toMatchObject({ subjectId: subjects.mia, role: 'member' });
  });

  it("gives an admin's export of a member no message text while logging is off (nor later), and puts it on the member's receipt", async () => {
    const created = await call('POST', url('chat-gateway', '/v1/conversations'), { token: tokens.mia, body: { title: `Title ${secret}` } });
    expect(created.status).toBe(201);
    const conversationId = created.body.id as string;
    const answered = await waitFor(
      async () => {
        const r = await postSse(url('chat-gateway', `/v1/conversations/${conversationId}/messages`), tokens.mia!, { content: secret });
        return r.events.some((e) => e.event === 'done') ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'a streamed answer' },
    );
    expect(answered.status).toBe(200);

    const route = await call('GET', url('chat-gateway', `/v1/tenants/${tenantId}/members/${subjects.mia}/conversations?reason=member_request`), { token: tokens.adam });
    expect(route).toMatchObject({ status: 403, body: { error: 'message_logging_off' } });
    expect((await call('GET', privacy(`/subjects/${subjects.mia}/export`), { token: tokens.adam })).status).toBe(400); // no reason given

    const exported = await call('GET', privacy(`/subjects/${subjects.mia}/export?reason=member_request`), { token: tokens.adam });
    expect(exported.status).toBe(200);
    expect(JSON.stringify(exported.body)).not.toContain(secret);
    expect(exported.body.services['chat-gateway'].adminRead).toEqual({ allowed: false, refusal: 'message_logging_off', messagesReturned: 0 });
    const receipt = await waitFor(
      async () => {
        const r = await call('GET', privacy('/receipts'), { token: tokens.mia });
        return r.body?.receipts?.find((x: { kind: string; readerSubjectId: string }) => x.kind === 'export' && x.readerSubjectId === subjects.adam);
      },
      // The log ingests behind whatever else the shared broker carries (other runs' load).
      { timeoutMs: 180_000, intervalMs: 500, description: "the export on mia's receipt" },
    );
    expect(receipt).toMatchObject({ readerRole: 'admin', reason: 'member_request', messagesReturned: 0 });

    // Logging switched on afterwards: what mia wrote before stays out of every admin path.
    expect((await call('PATCH', url('tenant', `/v1/tenants/${tenantId}/settings`), { token: tokens.olive, body: { messageLogging: true } })).status).toBe(200);
    const read = await waitFor(
      async () => {
        const r = await call('GET', url('chat-gateway', `/v1/tenants/${tenantId}/members/${subjects.mia}/conversations/${conversationId}/messages?reason=member_request`), { token: tokens.adam });
        return r.status === 200 ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: 'the gateway learning that logging is on' },
    );
    expect(read.body.messages).toEqual([]);
    const later = await call('GET', privacy(`/subjects/${subjects.mia}/export?reason=compliance_audit`), { token: tokens.adam });
    expect(later.status).toBe(200);
    expect(JSON.stringify(later.body)).not.toContain(secret);
    expect(later.body.services['chat-gateway'].adminRead).toMatchObject({ allowed: true, messagesReturned: 0 });
    // Mia's own export holds everything she wrote.
    const own = await call('GET', privacy(`/subjects/${subjects.mia}/export`), { token: tokens.mia });
    expect(JSON.stringify(own.body)).toContain(secret);
  });

  it('refuses an admin opening an erasure for the owner or another admin (403); the owner is not frozen', async () => {
    for (const target of [subjects.olive, subjects.abby]) {
      const opened = await call('POST', privacy('/requests'), { token: tokens.adam, body: { kind: 'erasure', subjectId: target } });
      expect(opened.status).toBe(403);
      expect(opened.body.error).toBe('forbidden');
    }
    const mine = await call('GET', privacy('/requests'), { token: tokens.olive });
    expect(mine.body.requests.filter((r: { kind: string }) => r.kind === 'erasure')).toEqual([]);
    const stillWorks = await call('POST', url('chat-gateway', '/v1/conversations'), { token: tokens.olive, body: { title: 'still here' } });
    expect(stillWorks.status).toBe(201);
  });

  it('moves ownership only by an offer the admin accepts; the new roles reach the next sessions and both steps are on the audit trail', async () => {
    const transfer = (p = '') => url('tenant', `/v1/tenants/${tenantId}/ownership-transfer${p}`);
    expect((await call('POST', transfer(), { token: tokens.abby, body: { toSubjectId: subjects.adam } })).status).toBe(403);
    expect((await call('POST', transfer(), { token: tokens.olive, body: { toSubjectId: subjects.mia } })).status).toBe(403);

    const offered = await call('POST', transfer(), { token: tokens.olive, body: { toSubjectId: subjects.adam } });
    expect(offered).toMatchObject({ status: 201, body: { fromSubjectId: subjects.olive, toSubjectId: subjects.adam } });
    expect((await call('POST', transfer('/accept'), { token: tokens.abby })).status).toBe(404);
    const accepted = await call('POST', transfer('/accept'), { token: tokens.adam });
    expect(accepted).toMatchObject({ status: 200, body: { ownerSubjectId: subjects.adam, previousOwnerSubjectId: subjects.olive } });

    // Auth learns the swap from tenant's events and refuses both people's tokens issued before it
    // (their roles changed); adam's refreshed session may then act on olive's account (an unchanged
    // name, so the probe itself changes nothing).
    await waitFor(
      async () => {
        const r = await call('PATCH', url('auth', `/v1/tenants/${tenantId}/accounts/${subjects.olive}`), { token: tokens.adam, body: { displayName: 'Olive Owner' } });
        if (r.status === 401) {
          const fresh = await call('POST', url('auth', '/v1/auth/refresh'), { body: { refreshToken: refreshTokens.adam } });
          expect(fresh.status).toBe(200);
          [tokens.adam, refreshTokens.adam] = [fresh.body.token, fresh.body.refreshToken];
        }
        return r.status === 200 ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'auth learning the new owner' },
    );
    const adam = await signInAgain(email('adam'));
    expect(adam).toMatchObject({ subjectId: subjects.adam, role: 'owner' });
    const olive = await signInAgain(email('olive'));
    expect(olive).toMatchObject({ subjectId: subjects.olive, role: 'admin' });
    // The former owner now ranks as an admin everywhere.
    const takeBack = await call('PATCH', url('auth', `/v1/tenants/${tenantId}/accounts/${subjects.adam}`), { token: olive.token, body: { email: email('olive-again') } });
    expect(takeBack.status).toBe(403);

    const trail = await waitFor(
      async () => {
        const r = await call('GET', url('audit', `/v1/tenants/${tenantId}/audit/events?type=tenant.OwnershipTransferred`), { token: adam.token });
        return r.body?.entries?.length === 1 ? r.body.entries : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500, description: 'the transfer on the audit trail' },
    );
    expect(trail[0]).toMatchObject({ actor: { id: subjects.adam }, payload: { ownershipTransferred: { fromSubjectId: subjects.olive, toSubjectId: subjects.adam } } });
    const proposed = await call('GET', url('audit', `/v1/tenants/${tenantId}/audit/events?type=tenant.OwnershipTransferProposed`), { token: adam.token });
    expect(proposed.body.entries).toEqual([expect.objectContaining({ actor: expect.objectContaining({ id: subjects.olive, role: 'owner' }) })]);
    const verified = await call('POST', url('audit', `/v1/tenants/${tenantId}/audit/verify`), { token: adam.token });
    expect(verified.body.intact).toBe(true);
  });

  it('limits sign-ups for one victim address: 20 instances with a phishing name give a few mails at most, none with the name in the subject', async () => {
    const victim = email('victim');
    const phishing = 'URGENT: your account is locked, verify at http://evil.example/login now';
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const res = await call('POST', url('tenant', '/v1/instances'), { body: { instanceName: `${phishing} ${i}`, adminEmail: victim, adminName: 'Security Team' } });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const accepted = statuses.filter((s) => s === 201).length;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - accepted);
    const mails = await waitFor(async () => {
      const all = await smtp.list(victim);
      return all.length >= accepted && all;
    }, { timeoutMs: 60_000, intervalMs: 300, description: `the sign-up mails to ${victim}` });
    expect(mails.length).toBeLessThanOrEqual(3);
    for (const mail of mails) {
      expect(mail.subject).toBe("You're invited to an Enclave instance");
      expect(mail.subject).not.toMatch(/URGENT|evil/);
    }
  });
});
