// Against real Kafka, FerretDB and in-process gRPC servers implementing the real SubjectDataService: does the export gather all five services plus audit's own part with sealed fields opened (null once shredded), record SubjectDataExported with the document's hash on an access request, answer 503 naming a service that is down, and do privacy receipts show who read the person's conversations?
import { createHash } from 'node:crypto';
import { uuidv7 } from '@enclave/platform';
import { waitFor } from '@enclave/testing';
import { newTenantId } from '../../test-support/audit-test-kit.helper.spec';
import { startPrivacyStack, type PrivacyStack } from '../../test-support/privacy-stack.helper.spec';

jest.setTimeout(120_000);

let stack: PrivacyStack;
const tenant = newTenantId();
const base = `/v1/tenants/${tenant}/privacy`;
const entries = (filter: Record<string, unknown>) => stack.connection.collection('audit_entries').find({ tenantId: tenant, ...filter }).sort({ seq: 1 }).toArray();

beforeAll(async () => {
  stack = await startPrivacyStack('audit-privacy-export');
});

afterAll(async () => {
  await stack?.close();
});

describe('GET .../privacy/subjects/:subjectId/export', () => {
  const person = uuidv7();

  beforeAll(async () => {
    // The person's rectification as auth logs it: the new values sealed with the person's key.
    await stack.keys.fetch(tenant, person, true);
    const sealed = stack.keys.seal(tenant, person, 'sealedChanges', JSON.stringify({ display_name: 'Ann Example' }));
    await stack.send('auth', stack.serviceEvent('auth', tenant, person, { $case: 'accountRectified', value: { subjectId: person, fields: ['display_name'], sealedChanges: sealed } }));
    await stack.call('POST', `${base}/consents`, stack.tokenFor(tenant, 'member', person), { purpose: 'marketing_email', textVersion: 'v1', granted: true });
    await waitFor(async () => (await entries({ subjectId: person })).length === 2, { description: 'the person in the log', timeoutMs: 30_000 });
  });

  it('returns one document with every service, audit’s part with sealed fields opened, and records its hash', async () => {
    const reply = await stack.call('GET', `${base}/subjects/${person}/export`, stack.tokenFor(tenant, 'member', person));
    expect(reply.status).toBe(200);
    expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
    const sha = createHash('sha256').update(reply.raw).digest('hex');
    expect(reply.headers['x-enclave-document-sha256']).toBe(sha);
    const doc = reply.body;
    expect(doc).toMatchObject({ subjectId: person, tenantId: tenant });
    expect(Object.keys(doc.services).sort()).toEqual(['auth', 'billing', 'chat-gateway', 'key-vault', 'tenant']);
    expect(doc.services['chat-gateway']).toEqual({ subjectId: person, records: [{ held: 'chat-gateway record' }] });
    expect(stack.exportCalls.filter((c) => c.subjectId === person).every((c) => c.tenantId === tenant)).toBe(true);
    const rectified = doc.audit.entries.find((e: { type: string }) => e.type === 'auth.AccountRectified');
    expect(rectified.payload.accountRectified.sealedChanges).toBe(JSON.stringify({ display_name: 'Ann Example' }));
    expect(doc.audit.consents.current).toContainEqual(expect.objectContaining({ purpose: 'marketing_email', granted: true }));

    const requestId = reply.headers['x-enclave-request-id'] as string;
    const request = await stack.call('GET', `${base}/requests/${requestId}`, stack.tokenFor(tenant, 'auditor'));
    expect(request.body).toMatchObject({ kind: 'access', status: 'completed', outcome: 'fulfilled', export: { documentSha256: sha } });
    const logged = await waitFor(async () => (await entries({ type: 'audit.SubjectDataExported', subjectId: person }))[0], { description: 'SubjectDataExported in the log', timeoutMs: 30_000 });
    expect(JSON.parse(logged.payload).subjectDataExported).toEqual({ requestId, subjectId: person, services: ['auth', 'billing', 'chat-gateway', 'key-vault', 'tenant'], documentSha256: sha });
    expect(logged.payload).not.toContain('Ann Example');
  });

  it('uses the open access request when there is one, and gives null for a field whose key was shredded', async () => {
    const admin = stack.person(tenant, 'admin').token;
    const opened = await stack.call('POST', `${base}/requests`, admin, { kind: 'access', subjectId: person });
    stack.keys.shred(tenant, person);
    const reply = await stack.call('GET', `${base}/subjects/${person}/export?reason=member_request`, admin);
    expect(reply.status).toBe(200);
    expect(reply.headers['x-enclave-request-id']).toBe(opened.body.requestId);
    const rectified = reply.body.audit.entries.find((e: { type: string }) => e.type === 'auth.AccountRectified');
    expect(rectified.payload.accountRectified.sealedChanges).toBeNull();
    expect(reply.raw).not.toContain('Ann Example');
  });

  it('pulled by an admin: needs a reason, names the reader to every service, and lands on the person\'s receipts', async () => {
    const someone = uuidv7();
    const admin = stack.person(tenant, 'admin');
    const url = `${base}/subjects/${someone}/export`;
    const missing = await stack.call('GET', url, admin.token);
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('reason is required');
    expect((await stack.call('GET', `${url}?reason=curiosity`, admin.token)).status).toBe(400);

    const reply = await stack.call('GET', `${url}?reason=security_investigation`, admin.token);
    expect(reply.status).toBe(200);
    expect(reply.body.services['chat-gateway'].adminRead).toEqual({ allowed: false, refusal: 'message_logging_off', messagesReturned: 0 });
    const calls = stack.exportCalls.filter((c) => c.subjectId === someone);
    expect(calls).toHaveLength(5);
    for (const call of calls) expect(call.adminReader).toEqual({ subjectId: admin.id, role: 'admin', reason: 'security_investigation' });
    const logged = await waitFor(async () => (await entries({ type: 'audit.SubjectDataExported', subjectId: someone }))[0], { description: 'the export logged', timeoutMs: 30_000 });
    expect(JSON.parse(logged.payload).subjectDataExported).toMatchObject({ reason: 'security_investigation', messagesReturned: 0 });
    expect(logged.actor).toMatchObject({ id: admin.id, role: 'admin' });

    const receipts = await stack.call('GET', `${base}/receipts`, stack.tokenFor(tenant, 'member', someone));
    expect(receipts.body.receipts).toEqual([
      { kind: 'export', readerSubjectId: admin.id, readerRole: 'admin', conversationId: '', messagesReturned: 0, reason: 'security_investigation', readAt: expect.any(String), seq: expect.any(Number) },
    ]);
    // The person's own export names no reader and needs no reason.
    expect((await stack.call('GET', url, stack.tokenFor(tenant, 'member', someone))).status).toBe(200);
    expect(stack.exportCalls.filter((c) => c.subjectId === someone && !c.adminReader)).toHaveLength(5);
  });

  it('answers 503 naming a service that is down, records nothing and produces no partial export', async () => {
    const someone = uuidv7();
    await stack.servers.get('chat-gateway')!.stop(100);
    const reply = await stack.call('GET', `${base}/subjects/${someone}/export`, stack.tokenFor(tenant, 'member', someone));
    expect(reply.status).toBe(503);
    expect(reply.body.message).toContain('chat-gateway');
    expect(reply.body.message).not.toContain('billing');
    expect(reply.body.services).toBeUndefined();
    expect(await stack.connection.collection('events').countDocuments({ tenantId: tenant, subjectId: someone })).toBe(0);
  });

  it('is for the person or an owner/admin only', async () => {
    expect((await stack.call('GET', `${base}/subjects/${person}/export`, stack.tokenFor(tenant, 'member'))).status).toBe(403);
    expect((await stack.call('GET', `${base}/subjects/${person}/export`, stack.tokenFor(tenant, 'auditor'))).status).toBe(403);
    expect((await stack.call('GET', `${base}/subjects/${person}/export`)).status).toBe(401);
    expect((await stack.call('GET', `/v1/tenants/${newTenantId()}/privacy/subjects/${person}/export`, stack.tokenFor(tenant, 'owner'))).status).toBe(404);
  });
});

describe('GET .../privacy/receipts', () => {
  it('shows the person who read which of their conversations, when, with the reader role', async () => {
    const person = uuidv7();
    const admin = uuidv7();
    const conversationId = uuidv7();
    const read = stack.serviceEvent(
      'chat-gateway',
      tenant,
      person,
      { $case: 'memberChatRead', value: { readerSubjectId: admin, memberSubjectId: person, conversationId, messagesReturned: 7 } },
      { kind: 1, id: admin, role: 'admin' },
    );
    await stack.send('chat-gateway', read, read);
    const token = stack.tokenFor(tenant, 'member', person);
    const reply = await waitFor(
      async () => {
        const r = await stack.call('GET', `${base}/receipts`, token);
        return r.body.receipts?.length === 1 ? r : false;
      },
      { description: 'one receipt', timeoutMs: 30_000 },
    );
    expect(reply.body.receipts[0]).toMatchObject({ kind: 'conversations', readerSubjectId: admin, readerRole: 'admin', conversationId, messagesReturned: 7, reason: null, readAt: new Date(Number(read.occurredAtMs)).toISOString() });
    expect(reply.body.nextAfter).toBeNull();
    expect((await stack.call('GET', `${base}/receipts`, stack.tokenFor(tenant, 'member'))).body.receipts).toEqual([]);
    expect((await stack.call('GET', `${base}/receipts?limit=0`, token)).status).toBe(400);
  });

  it('shows the reason of a read, and does not list twice the conversations read an export caused', async () => {
    const person = uuidv7();
    const admin = uuidv7();
    const read = (conversationId: string, viaExport: boolean) =>
      stack.serviceEvent(
        'chat-gateway',
        tenant,
        person,
        { $case: 'memberChatRead', value: { readerSubjectId: admin, memberSubjectId: person, conversationId, messagesReturned: 3, reason: 'policy_violation', viaExport } },
        { kind: 1, id: admin, role: 'owner' },
      );
    await stack.send('chat-gateway', read('', true), read('c-1', false));
    const token = stack.tokenFor(tenant, 'member', person);
    await waitFor(async () => (await entries({ type: 'chat-gateway.MemberChatRead', subjectId: person })).length === 2, { description: 'both reads logged', timeoutMs: 30_000 });
    const reply = await stack.call('GET', `${base}/receipts`, token);
    expect(reply.body.receipts).toEqual([expect.objectContaining({ kind: 'conversations', conversationId: 'c-1', reason: 'policy_violation', readerRole: 'owner' })]);
  });
});
