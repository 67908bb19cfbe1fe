// Does the whole path work with all six services as real processes on real infrastructure:
// instance → magic links → sessions → key → streamed chat → history → usage → quota → audit trail → verify?
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import mongoose from 'mongoose';
import { loadInfraEnv, SmtpCatcherClient, uniqueName, waitFor, type CaughtMail } from '@enclave/testing';
import { call, postSse } from './http';
import { scanForSecret } from './secret-scan';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stack = require('../../scripts/local-stack.js');

const PORT_BASE = 17100;
const run = uniqueName('e2e').replace(/[^a-z0-9]/gi, '').toLowerCase();
const dbPrefix = `e2e${run.slice(-10)}`;
const logDir = path.join(__dirname, '../../.enclave/logs', dbPrefix);
const apiKey = `sk-e2e-${randomBytes(18).toString('hex')}`;
const email = (who: string) => `${who}.${run}@example.test`;
const linkToken = (mail: CaughtMail) => {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text ?? mail.html ?? '');
  if (!match) throw new Error('mail carries no login link');
  return match[1]!;
};

jest.setTimeout(120_000);

describe('walking skeleton', () => {
  const smtp = new SmtpCatcherClient();
  const url = (service: string, p: string) => `http://127.0.0.1:${stack.ports(PORT_BASE)[service].http}${p}`;
  let running: { stop: () => Promise<void> };
  let tenantId = '';
  const tokens: Record<string, string> = {};
  const subjects: Record<string, string> = {};
  let conversationId = '';

  const sessionFromMail = async (who: string, match?: (m: CaughtMail) => boolean) => {
    const mail = await smtp.waitForMail(email(who), { timeoutMs: 30_000, match });
    const res = await call('POST', url('auth', '/v1/auth/sessions'), { body: { token: linkToken(mail) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/enclave_session=.*HttpOnly/i);
    tokens[who] = res.body.token;
    subjects[who] = res.body.subjectId;
    return { mail, session: res.body };
  };

  beforeAll(async () => {
    running = await stack.startStack({ portBase: PORT_BASE, dbPrefix, groupSuffix: dbPrefix, logDir, readyTimeoutMs: 90_000 });
  }, 150_000);

  afterAll(async () => {
    await running?.stop();
  }, 30_000);

  it('creates an instance and the admin signs in through the emailed link', async () => {
    const res = await call('POST', url('tenant', '/v1/instances'), {
      body: { instanceName: `Acme ${run}`, adminEmail: email('admin'), adminName: 'Ada Admin' },
    });
    expect(res.status).toBe(201);
    tenantId = res.body.tenantId;
    const { mail, session } = await sessionFromMail('admin');
    expect(mail.replyTo).toBe(email('admin'));
    expect(session.role).toBe('owner');
    expect(session.tenantId).toBe(tenantId);
  });

  it('admin adds members; each signs in; unknown emails get the same answer and no mail', async () => {
    for (const [who, role] of [['alice', 'member'], ['bob', 'member'], ['carol', 'auditor']] as const) {
      const res = await call('POST', url('tenant', `/v1/tenants/${tenantId}/members`), {
        token: tokens.admin,
        body: { email: email(who), name: who, role },
      });
      expect(res.status).toBe(201);
    }
    for (const who of ['alice', 'bob', 'carol']) {
      const { mail, session } = await sessionFromMail(who);
      expect(mail.replyTo).toBe(email('admin'));
      expect(session.tenantId).toBe(tenantId);
    }
    const unknown = await call('POST', url('auth', '/v1/auth/login-links'), { body: { tenantId, email: email('mallory') } });
    const known = await call('POST', url('auth', '/v1/auth/login-links'), { body: { tenantId, email: email('alice') } });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const invitation = (await smtp.list(email('alice')))[0]!;
    const second = await smtp.waitForMail(email('alice'), { timeoutMs: 30_000, match: (m) => m.id !== invitation.id });
    const res = await call('POST', url('auth', '/v1/auth/sessions'), { body: { token: linkToken(second) } });
    expect(res.status).toBe(200);
    expect(res.body.subjectId).toBe(subjects.alice);
    tokens.alice2 = res.body.token;
    const reused = await call('POST', url('auth', '/v1/auth/sessions'), { body: { token: linkToken(second) } });
    expect(reused.status).toBe(401);
    expect(await smtp.list(email('mallory'))).toHaveLength(0);
  });

  it('admin stores a provider key and sees only its masked form', async () => {
    const upstream = `http://127.0.0.1:${stack.ports(PORT_BASE).upstream}/v1`;
    const res = await call('POST', url('key-vault', `/v1/tenants/${tenantId}/provider-keys`), {
      token: tokens.admin,
      body: { provider: 'openai-compatible', label: 'e2e', apiKey, baseUrl: upstream },
    });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain(apiKey);
    expect(res.body.lastFour).toBe(apiKey.slice(-4));
    const list = await call('GET', url('key-vault', `/v1/tenants/${tenantId}/provider-keys`), { token: tokens.admin });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(apiKey);
    const asMember = await call('GET', url('key-vault', `/v1/tenants/${tenantId}/provider-keys`), { token: tokens.alice });
    expect(asMember.status).toBe(403);
    const settings = await call('PATCH', url('tenant', `/v1/tenants/${tenantId}/settings`), {
      token: tokens.admin,
      body: { systemInstruction: `Answer as the Acme helper ${run}.` },
    });
    expect(settings.status).toBe(200);
  });

  it('a member chats and receives streamed tokens; the hidden instruction stays hidden', async () => {
    const created = await call('POST', url('chat-gateway', '/v1/conversations'), { token: tokens.alice, body: { title: 'First chat' } });
    expect(created.status).toBe(201);
    conversationId = created.body.id;
    const chat = await waitFor(
      async () => {
        const r = await postSse(url('chat-gateway', `/v1/conversations/${conversationId}/messages`), tokens.alice, {
          content: 'hello streaming world',
        });
        return r.events.some((e) => e.event === 'done') ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'a streamed answer (settings reach the gateway)' },
    );
    const deltas = chat.events.filter((e) => e.event === 'delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.data.content).join('')).not.toHaveLength(0);
    expect(chat.raw).not.toContain('Acme helper');
    const requests = await call('GET', `http://127.0.0.1:${stack.ports(PORT_BASE).upstream}/__requests`);
    expect(JSON.stringify(requests.body)).toContain(`Answer as the Acme helper ${run}.`);
  });

  it('history is listed from a second session; another member gets 404', async () => {
    const list = await call('GET', url('chat-gateway', '/v1/conversations'), { token: tokens.alice2 });
    expect(list.status).toBe(200);
    expect(list.body.conversations.map((c: { id: string }) => c.id)).toContain(conversationId);
    const one = await waitFor(
      async () => {
        const r = await call('GET', url('chat-gateway', `/v1/conversations/${conversationId}`), { token: tokens.alice2 });
        return r.body?.messages?.some((m: { role: string }) => m.role === 'assistant') ? r : undefined;
      },
      { timeoutMs: 10_000, description: 'the assistant message in history' },
    );
    expect(one.body.messages[0]).toMatchObject({ role: 'user', content: 'hello streaming world' });
    expect(JSON.stringify(one.body)).not.toContain('Acme helper');
    const bob = await call('GET', url('chat-gateway', `/v1/conversations/${conversationId}`), { token: tokens.bob });
    expect(bob.status).toBe(404);
    const bobList = await call('GET', url('chat-gateway', '/v1/conversations'), { token: tokens.bob });
    expect(bobList.body.conversations).toHaveLength(0);
  });

  let usedTokens = 0;
  it('billing shows the usage per tenant, member and model', async () => {
    const usage = await waitFor(
      async () => {
        const r = await call('GET', url('billing', `/v1/tenants/${tenantId}/usage`), { token: tokens.admin });
        return r.status === 200 && r.body.totals.totalTokens > 0 ? r.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'usage totals in billing' },
    );
    usedTokens = usage.totals.totalTokens;
    expect(usage.totals.messages).toBe(1);
    expect(JSON.stringify(usage.byMember)).toContain(subjects.alice);
    const asMember = await call('GET', url('billing', `/v1/tenants/${tenantId}/usage`), { token: tokens.alice });
    expect(asMember.status).toBe(403);
  });

  it('an exhausted quota refuses the next chat before the provider is called', async () => {
    const { operatorToken } = stack.loadSecrets();
    const set = await call('PUT', url('billing', `/v1/tenants/${tenantId}/quota`), {
      headers: { 'x-operator-token': operatorToken },
      body: { monthlyTokenQuota: usedTokens },
    });
    expect(set.status).toBe(204);
    await call('DELETE', `http://127.0.0.1:${stack.ports(PORT_BASE).upstream}/__requests`);
    const refused = await call('POST', url('chat-gateway', `/v1/conversations/${conversationId}/messages`), {
      token: tokens.alice,
      body: { content: 'one more please' },
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('quota_exhausted');
    const requests = await call('GET', `http://127.0.0.1:${stack.ports(PORT_BASE).upstream}/__requests`);
    expect(requests.body.requests).toHaveLength(0);
  });

  const STEPS = [
    'InstanceCreated',
    'MemberAdded',
    'InvitationSent',
    'SessionStarted',
    'ProviderKeyStored',
    'ConversationCreated',
    'ProviderKeyDecrypted',
    'UsageRecorded',
    'QuotaSet',
    'ChatRefused',
  ];
  const fetchTrail = async (token: string, query = '') => {
    const entries: any[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const r: { status: number; body: any } = await call("GET", url("audit", `/v1/tenants/${tenantId}/audit/events?limit=50&after=${after}${query}`), { token });
      expect(r.status).toBe(200);
      entries.push(...r.body.entries);
      after = r.body.nextAfter;
    }
    return entries;
  };

  it('the auditor finds every step in the trail, in order, and the log verifies intact', async () => {
    const entries = await waitFor(
      async () => {
        const all = await fetchTrail(tokens.carol);
        return STEPS.every((s) => all.some((e) => String(e.type).endsWith(s))) ? all : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'every step in the audit trail' },
    );
    const firstAt = (s: string) => Math.min(...entries.filter((e) => String(e.type).endsWith(s)).map((e) => Date.parse(e.occurredAt)));
    const times = STEPS.map(firstAt);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const byType = await fetchTrail(tokens.carol, '&type=' + encodeURIComponent(entries.find((e) => String(e.type).endsWith('SessionStarted')).type));
    expect(byType.length).toBeGreaterThanOrEqual(4);
    expect(byType.every((e) => String(e.type).endsWith('SessionStarted'))).toBe(true);
    const asMember = await call('GET', url('audit', `/v1/tenants/${tenantId}/audit/events`), { token: tokens.alice });
    expect(asMember.status).toBe(403);
    const verify = await call('POST', url('audit', `/v1/tenants/${tenantId}/audit/verify`), { token: tokens.carol });
    expect(verify.status).toBe(200);
    expect(verify.body.intact).toBe(true);
  });

  it('verify names the one stored entry that was altered in the database', async () => {
    const conn = await mongoose.createConnection(loadInfraEnv().mongoUrl, { dbName: `${dbPrefix}_audit` }).asPromise();
    try {
      const entries = conn.collection('audit_entries');
      const updated = await entries.updateOne({ tenantId, seq: 3 }, { $set: { type: 'tampered.Event' } });
      expect(updated.modifiedCount).toBe(1);
    } finally {
      await conn.close();
    }
    const verify = await call('POST', url('audit', `/v1/tenants/${tenantId}/audit/verify`), { token: tokens.carol });
    expect(verify.status).toBe(200);
    expect(verify.body.intact).toBe(false);
    expect(verify.body.firstBroken.seq).toBe(3);
  });

  it("the provider key's plaintext is nowhere: logs, Kafka topics, databases, Redis", async () => {
    const findings = await scanForSecret(apiKey, { logDir, dbPrefix });
    expect(findings.scanned.kafkaMessages).toBeGreaterThan(0);
    expect(findings.scanned.documents).toBeGreaterThan(0);
    expect(findings.hits).toEqual([]);
  });
});
