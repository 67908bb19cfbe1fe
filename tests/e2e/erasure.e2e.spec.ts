// Do a person's rights work end to end with all six services as real processes: consent derived from the log,
// rectification, a privacy receipt for an admin's read, one access export from every service, erasure through
// grace → restore and through grace → purge (time injected into audit, not waited for) — after which nothing of
// the person is readable anywhere while the audit chain, checkpoints and an exported bundle still verify?
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SmtpCatcherClient, uniqueName, waitFor, type CaughtMail } from '@enclave/testing';
import { call, postSse } from './http';
import { scanForSecrets } from './secret-scan';
import { stackGroups, startGroupsAtTopicEnds } from './support/skip-topic-history';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stack = require('../../scripts/local-stack.js');

const PORT_BASE = 16100;
const DAY_MS = 86_400_000;
const run = uniqueName('er').replace(/[^a-z0-9]/gi, '').toLowerCase();
const dbPrefix = `er${run.slice(-10)}`;
const logDir = path.join(__dirname, '../../.enclave/logs', dbPrefix);
const apiKey = `sk-er-${randomBytes(18).toString('hex')}`;
const email = (who: string) => `${who}.${run}@example.test`;
// What must be gone after the purge: erin's email, both her names, and what she wrote.
const erinName = `Erin Example ${run}`;
const erinRenamed = `Erin Rectified ${run}`;
const erinSecret = `my locker code is ${randomBytes(6).toString('hex')}`;
const linkToken = (mail: CaughtMail) => {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text ?? mail.html ?? '');
  if (!match) throw new Error('mail carries no login link');
  return match[1]!;
};

jest.setTimeout(180_000);

describe('data-subject rights end to end', () => {
  const smtp = new SmtpCatcherClient();
  const url = (service: string, p: string) => `http://127.0.0.1:${stack.ports(PORT_BASE)[service].http}${p}`;
  const privacy = (p: string) => url('audit', `/v1/tenants/${tenantId}/privacy${p}`);
  let running: { stop: () => Promise<void> };
  let tenantId = '';
  const tokens: Record<string, string> = {};
  const subjects: Record<string, string> = {};
  let conversationId = '';

  const signIn = async (who: string) => {
    // Generous: a new stack's consumers first replay the topics' history (earlier suites' events).
    const mail = await smtp.waitForMail(email(who), { timeoutMs: 90_000 });
    const res = await call('POST', url('auth', '/v1/auth/sessions'), { body: { token: linkToken(mail) } });
    expect(res.status).toBe(200);
    tokens[who] = res.body.token;
    subjects[who] = res.body.subjectId;
  };
  const chat = (content: string) =>
    postSse(url('chat-gateway', `/v1/conversations/${conversationId}/messages`), tokens.erin!, { content });
  const advanceAuditClock = async (offsetMs: number) => {
    const res = await call('PUT', url('audit', '/v1/test/clock'), { body: { offsetMs } });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    // The tenant is created below: earlier runs' events on the shared broker are not ours to replay.
    await startGroupsAtTopicEnds(stackGroups(dbPrefix));
    running = await stack.startStack({
      portBase: PORT_BASE,
      dbPrefix,
      groupSuffix: dbPrefix,
      logDir,
      readyTimeoutMs: 90_000,
      extra: { audit: { TEST_CLOCK_ENABLED: 'true', PRIVACY_JOBS_INTERVAL_MS: '500', CHECKPOINT_INTERVAL_MS: '0' } },
    });
    const created = await call('POST', url('tenant', '/v1/instances'), {
      body: { instanceName: `Privacy ${run}`, adminEmail: email('admin'), adminName: 'Ada Admin' },
    });
    expect(created.status).toBe(201);
    tenantId = created.body.tenantId;
    await signIn('admin');
    for (const [who, name, role] of [['erin', erinName, 'member'], ['carol', 'Carol Auditor', 'auditor']] as const) {
      const res = await call('POST', url('tenant', `/v1/tenants/${tenantId}/members`), { token: tokens.admin, body: { email: email(who), name, role } });
      expect(res.status).toBe(201);
      await signIn(who);
    }
    const key = await call('POST', url('key-vault', `/v1/tenants/${tenantId}/provider-keys`), {
      token: tokens.admin,
      body: { provider: 'openai-compatible', label: 'er', apiKey, baseUrl: `http://127.0.0.1:${stack.ports(PORT_BASE).upstream}/v1` },
    });
    expect(key.status).toBe(201);
    const settings = await call('PATCH', url('tenant', `/v1/tenants/${tenantId}/settings`), {
      token: tokens.admin,
      body: { messageLogging: true, messageLoggingNoticeVersion: '2026-11-01' },
    });
    expect(settings.status).toBe(200);
  }, 240_000);

  afterAll(async () => {
    await running?.stop();
  }, 30_000);

  it('consent: the state is derived from the log, with the text version agreed to', async () => {
    for (const [purpose, granted] of [['message_logging_notice', true], ['marketing_email', true], ['marketing_email', false]] as const) {
      const res = await call('POST', privacy('/consents'), { token: tokens.erin, body: { purpose, textVersion: '2026-11-01', granted } });
      expect(res.status).toBe(202); // accepted: the state is read back from the log once the event is in it
    }
    const state = await waitFor(
      async () => {
        const r = await call('GET', privacy('/consents/me'), { token: tokens.erin });
        return r.status === 200 && JSON.stringify(r.body).includes('marketing_email') && r.body.history?.length === 3 ? r.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: "erin's consents in the log" },
    );
    const current = Object.fromEntries(state.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted]));
    expect(current).toMatchObject({ message_logging_notice: true, marketing_email: false });
  });

  it('erin chats; her message is stored sealed and read back in clear', async () => {
    const created = await call('POST', url('chat-gateway', '/v1/conversations'), { token: tokens.erin, body: { title: `About ${erinSecret}` } });
    expect(created.status).toBe(201);
    conversationId = created.body.id;
    const answered = await waitFor(
      async () => {
        const r = await chat(erinSecret);
        return r.events.some((e) => e.event === 'done') ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'a streamed answer' },
    );
    expect(answered.status).toBe(200);
    const history = await waitFor(
      async () => {
        const r = await call('GET', url('chat-gateway', `/v1/conversations/${conversationId}`), { token: tokens.erin });
        return r.body?.messages?.some((m: { role: string }) => m.role === 'assistant') ? r.body : undefined;
      },
      { timeoutMs: 15_000, description: 'the answer in history' },
    );
    expect(history.messages[0].content).toBe(erinSecret);
  });

  it('rectification: erin corrects her name', async () => {
    const res = await call('PATCH', url('auth', '/v1/auth/accounts/me'), { token: tokens.erin, body: { displayName: erinRenamed } });
    expect(res.status).toBe(200);
    expect(res.body.displayName).toBe(erinRenamed);
  });

  it("an admin's read of erin's chat (logging on) shows up on erin's privacy receipt", async () => {
    const list = await call('GET', url('chat-gateway', `/v1/tenants/${tenantId}/members/${subjects.erin}/conversations?reason=member_request`), { token: tokens.admin });
    expect(list.status).toBe(200);
    const read = await call('GET', url('chat-gateway', `/v1/tenants/${tenantId}/members/${subjects.erin}/conversations/${conversationId}/messages?reason=member_request`), {
      token: tokens.admin,
    });
    expect(read.status).toBe(200);
    const asMember = await call('GET', url('chat-gateway', `/v1/tenants/${tenantId}/members/${subjects.erin}/conversations?reason=member_request`), { token: tokens.carol });
    expect(asMember.status).toBe(403);
    const receipts = await waitFor(
      async () => {
        const r = await call('GET', privacy('/receipts'), { token: tokens.erin });
        return r.status === 200 && r.body.receipts?.some((x: { conversationId: string }) => x.conversationId === conversationId) ? r.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: 'the privacy receipt' },
    );
    expect(JSON.stringify(receipts)).toContain(subjects.admin);
  });

  it('restriction: processing and logging stop for erin until she lifts it; she still reads her history', async () => {
    const opened = await call('POST', privacy('/requests'), { token: tokens.erin, body: { kind: 'restriction' } });
    expect(opened.status).toBe(201);
    await waitFor(
      async () => {
        const r = await chat('still there?');
        return r.status === 403 && r.raw.includes('processing_restricted') ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: 'the gateway refusing a restricted person' },
    );
    const own = await call('GET', url('chat-gateway', `/v1/conversations/${conversationId}`), { token: tokens.erin });
    expect(own.status).toBe(200);
    const adminRead = await call('GET', url('chat-gateway', `/v1/tenants/${tenantId}/members/${subjects.erin}/conversations?reason=member_request`), { token: tokens.admin });
    expect(adminRead.status).toBe(403);
    const lifted = await call('DELETE', privacy(`/subjects/${subjects.erin}/restriction`), { token: tokens.erin });
    expect(lifted.status).toBe(204);
    await waitFor(
      async () => {
        const r = await chat('and now?');
        return r.events.some((e) => e.event === 'done') ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: 'chat working again after the restriction was lifted' },
    );
  });

  it('a breach incident is recorded with a 72-hour deadline and the owner is notified by mail', async () => {
    const detectedAt = new Date(Date.now() - 1_000).toISOString(); // not before the instance existed
    const recorded = await call('POST', privacy('/breaches'), {
      token: tokens.admin,
      body: { description: 'a laptop with an export was lost', detectedAt, severity: 'high', affectedSubjectCount: 1 },
    });
    expect(recorded.status).toBe(201);
    expect(Date.parse(recorded.body.notifyBy) - Date.parse(detectedAt)).toBe(72 * 3_600_000);
    const notice = await smtp.waitForMail(email('admin'), { timeoutMs: 60_000, match: (m) => /breach/i.test(m.subject ?? '') });
    expect(notice.text ?? '').not.toContain('laptop');
    const incident = await waitFor(
      async () => {
        const r = await call('GET', privacy(`/breaches/${recorded.body.incidentId}`), { token: tokens.carol });
        return r.body?.notifiedAt ? r.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: 'the notification confirmed in the log' },
    );
    expect(incident.overdue).toBe(false);
  });

  it('access: one export holds what every service keeps about erin', async () => {
    const res = await call('GET', privacy(`/subjects/${subjects.erin}/export`), { token: tokens.erin });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.services).sort()).toEqual(['auth', 'billing', 'chat-gateway', 'key-vault', 'tenant']);
    const text = JSON.stringify(res.body);
    expect(text).toContain(email('erin'));
    expect(text).toContain(erinRenamed);
    expect(text).toContain(erinSecret);
    expect(text).not.toContain(apiKey);
    const other = await call('GET', privacy(`/subjects/${subjects.erin}/export`), { token: tokens.carol });
    expect(other.status).toBe(403);
  });

  it('erasure, then restore within the grace period: frozen, then back', async () => {
    const opened = await call('POST', privacy('/requests'), { token: tokens.erin, body: { kind: 'erasure' } });
    expect(opened.status).toBe(201);
    const requestId = opened.body.requestId;
    expect(Date.parse(opened.body.dueAt) - Date.now()).toBeGreaterThan(29 * DAY_MS);
    await waitFor(
      async () => {
        const r = await chat('are you there?');
        return r.status === 403 && r.raw.includes('account_frozen') ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: 'the gateway refusing a frozen account' },
    );
    await advanceAuditClock(10 * DAY_MS);
    const cancelled = await call('POST', privacy(`/requests/${requestId}/cancel`), { token: tokens.erin });
    expect(cancelled.status).toBe(200);
    await waitFor(
      async () => {
        const r = await chat('back again');
        return r.events.some((e) => e.event === 'done') ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: 'chat working again after the restore' },
    );
    await advanceAuditClock(40 * DAY_MS);
    const request = await call('GET', privacy(`/requests/${requestId}`), { token: tokens.admin });
    expect(request.body).toMatchObject({ status: 'completed', outcome: 'cancelled' });
    const history = await call('GET', url('chat-gateway', `/v1/conversations/${conversationId}`), { token: tokens.erin });
    expect(history.status).toBe(200);
    await advanceAuditClock(0);
  });

  let purgeRequestId = '';
  it('erasure through grace to purge: every service confirms and a deletion record is kept', async () => {
    const opened = await call('POST', privacy('/requests'), { token: tokens.admin, body: { kind: 'erasure', subjectId: subjects.erin } });
    expect(opened.status).toBe(201);
    purgeRequestId = opened.body.requestId;
    const overdueBefore = await call('GET', privacy('/requests?status=overdue'), { token: tokens.carol });
    expect(overdueBefore.status).toBe(200);
    await advanceAuditClock(31 * DAY_MS);
    const record = await waitFor(
      async () => {
        const r = await call('GET', privacy('/deletion-records'), { token: tokens.carol });
        return r.body?.records?.find((x: { requestId: string }) => x.requestId === purgeRequestId);
      },
      { timeoutMs: 90_000, intervalMs: 500, description: 'the deletion record' },
    );
    expect([...record.confirmedBy].sort()).toEqual(['auth', 'billing', 'chat-gateway', 'key-vault', 'tenant']);
    expect(record.subjectId).toBe(subjects.erin);
    expect(JSON.stringify(record)).not.toContain(email('erin'));
    const request = await call('GET', privacy(`/requests/${purgeRequestId}`), { token: tokens.carol });
    expect(request.body).toMatchObject({ status: 'completed', outcome: 'fulfilled' });
  });

  it('after the purge nothing of erin is readable: databases, Redis, Kafka, logs, the audit log', async () => {
    const findings = await scanForSecrets([email('erin'), erinName, erinRenamed, erinSecret], { logDir, dbPrefix });
    expect(findings.scanned.documents).toBeGreaterThan(0);
    expect(findings.scanned.kafkaMessages).toBeGreaterThan(0);
    expect(findings.hits).toEqual([]);
    const exported = await call('GET', privacy(`/subjects/${subjects.erin}/export?reason=legal_obligation`), { token: tokens.admin });
    expect(exported.status).toBe(200);
    const text = JSON.stringify(exported.body);
    for (const gone of [email('erin'), erinRenamed, erinSecret]) expect(text).not.toContain(gone);
  });

  it('the chain, a new checkpoint and an exported bundle still verify after the purge', async () => {
    const verify = await call('POST', url('audit', `/v1/tenants/${tenantId}/audit/verify`), { token: tokens.carol });
    expect(verify.status).toBe(200);
    expect(verify.body.intact).toBe(true);
    const checkpoint = await call('POST', url('audit', `/v1/tenants/${tenantId}/audit/checkpoints`), { token: tokens.carol });
    expect(checkpoint.status).toBe(201);
    const publicKey = await call('GET', url('audit', '/v1/audit/public-key'));
    expect(publicKey.status).toBe(200);
    const bundle = await call('GET', url('audit', `/v1/tenants/${tenantId}/audit/export`), { token: tokens.carol });
    expect(bundle.status).toBe(200);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'er-bundle-'));
    try {
      const file = path.join(work, 'bundle.json');
      const keyFile = path.join(work, 'trusted-key.json');
      fs.writeFileSync(keyFile, JSON.stringify(publicKey.body));
      fs.writeFileSync(file, JSON.stringify(bundle.body));
      const cli = path.join(__dirname, '../../services/audit/dist/cli/verify-bundle.js');
      const intact = spawnSync(process.execPath, [cli, file, '--public-key', keyFile], { encoding: 'utf8' });
      expect(intact.status).toBe(0);
      const tampered = structuredClone(bundle.body);
      tampered.entries.splice(2, 1);
      fs.writeFileSync(file, JSON.stringify(tampered));
      const broken = spawnSync(process.execPath, [cli, file, '--public-key', keyFile], { encoding: 'utf8' });
      expect(broken.status).toBe(1);
      expect(broken.stdout + broken.stderr).toMatch(/seq|entry/i);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
