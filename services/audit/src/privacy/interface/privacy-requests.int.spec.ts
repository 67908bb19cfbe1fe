// Against real Kafka and FerretDB, through HTTP: are consents read back from the log, do erasures go grace → purge requested once → erased once all five services confirmed (once, under redelivery), are cancelled erasures never purged, overdue requests listed by the injected clock, rectifications completed from the log, restrictions lifted, and bad calls refused with 400/401/403/404/409?
import { uuidv7 } from '@enclave/platform';
import { waitFor } from '@enclave/testing';
import { newTenantId } from '../../test-support/audit-test-kit.helper.spec';
import { startPrivacyStack, type PrivacyStack } from '../../test-support/privacy-stack.helper.spec';
import { DATA_SERVICES, DAY_MS } from '../domain/privacy-events';

jest.setTimeout(120_000);

let stack: PrivacyStack;
const tenant = newTenantId();
const other = newTenantId();
const base = `/v1/tenants/${tenant}/privacy`;

const entries = (filter: Record<string, unknown>) => stack.connection.collection('audit_entries').find({ tenantId: tenant, ...filter }).sort({ seq: 1 }).toArray();
const events = (filter: Record<string, unknown>) => stack.connection.collection('events').find({ tenantId: tenant, ...filter }).toArray();
const ofRequest = async (type: string, requestId: string) => (await events({ type, streamId: `privacy-request:${requestId}` })).length;

beforeAll(async () => {
  stack = await startPrivacyStack('audit-privacy-int');
});

afterAll(async () => {
  await stack?.close();
});

afterEach(() => stack.clock.setOffset(0));

describe('consents', () => {
  it('records grant and withdrawal and reads them back from the log entries of the person', async () => {
    const person = uuidv7();
    const token = stack.tokenFor(tenant, 'member', person);
    const granted = await stack.call('POST', `${base}/consents`, token, { purpose: 'marketing_email', textVersion: '2026-10-01', granted: true });
    expect(granted.status).toBe(202);
    await stack.call('POST', `${base}/consents`, token, { purpose: 'public_sharing', textVersion: '2026-10-01', granted: true });
    await stack.call('POST', `${base}/consents`, token, { purpose: 'marketing_email', textVersion: '2026-11-01', granted: false });
    const view = await waitFor(
      async () => {
        const reply = await stack.call('GET', `${base}/consents/me`, token);
        return reply.body.history?.length === 3 ? reply.body : false;
      },
      { description: 'three consent entries in the log', timeoutMs: 30_000 },
    );
    expect(view.consents).toEqual([
      { purpose: 'message_logging_notice', granted: false, textVersion: null, at: null },
      expect.objectContaining({ purpose: 'marketing_email', granted: false, textVersion: '2026-11-01' }),
      expect.objectContaining({ purpose: 'public_sharing', granted: true, textVersion: '2026-10-01' }),
    ]);
    const logged = await entries({ subjectId: person, type: { $in: ['audit.ConsentGranted', 'audit.ConsentWithdrawn'] } });
    expect(logged.map((e) => e.service)).toEqual(['audit', 'audit', 'audit']);
    expect(JSON.parse(logged[2]!.payload)).toEqual({ consentWithdrawn: { purpose: 'marketing_email', subjectId: person, textVersion: '2026-11-01' } });

    const asAuditor = await stack.call('GET', `${base}/subjects/${person}/consents`, stack.tokenFor(tenant, 'auditor'));
    expect(asAuditor.status).toBe(200);
    expect(asAuditor.body.consents).toEqual(view.consents);
    expect((await stack.call('GET', `${base}/subjects/${person}/consents`, stack.tokenFor(tenant, 'member'))).status).toBe(403);
  });

  it('refuses an unknown purpose, a missing field or an extra field with 400', async () => {
    const token = stack.tokenFor(tenant, 'member');
    for (const body of [{ purpose: 'selling_data', textVersion: 'v1', granted: true }, { purpose: 'marketing_email', granted: true }, { purpose: 'marketing_email', textVersion: 'v1', granted: true, extra: 1 }]) {
      const reply = await stack.call('POST', `${base}/consents`, token, body);
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('bad_request');
    }
  });
});

describe('erasure', () => {
  it('freezes for the grace period, requests the purge once, and records the erasure once all five services confirmed, once under redelivery', async () => {
    const person = uuidv7();
    const token = stack.tokenFor(tenant, 'member', person);
    const opened = await stack.call('POST', `${base}/requests`, token, { kind: 'erasure' });
    expect(opened.status).toBe(201);
    const requestId = opened.body.requestId as string;
    expect(opened.body).toMatchObject({ subjectId: person, kind: 'erasure', status: 'open', erasure: { phase: 'grace', confirmedBy: [] } });
    expect(Date.parse(opened.body.erasure.graceEndsAt) - Date.parse(opened.body.openedAt)).toBe(30 * DAY_MS);

    await stack.runtime.privacy.coordinator.runOnce();
    expect(await ofRequest('audit.SubjectPurgeRequested', requestId)).toBe(0);

    // The test clock moves past the grace period; the jobs runner (every 200 ms) requests the purge.
    const moved = await stack.call('PUT', '/v1/test/clock', undefined, { offsetMs: 31 * DAY_MS });
    expect(moved.status).toBe(200);
    await waitFor(async () => (await ofRequest('audit.SubjectPurgeRequested', requestId)) === 1, { description: 'the purge requested', timeoutMs: 10_000 });
    await stack.runtime.privacy.coordinator.runOnce();
    await stack.runtime.privacy.coordinator.runOnce();
    expect(await ofRequest('audit.SubjectPurgeRequested', requestId)).toBe(1);
    const purging = await stack.call('GET', `${base}/requests/${requestId}`, token);
    expect(purging.body).toMatchObject({ status: 'open', erasure: { phase: 'purging' } });
    await waitFor(async () => (await entries({ type: 'audit.SubjectPurgeRequested', subjectId: person })).length === 1, { description: 'SubjectPurgeRequested in the log' });

    // Four confirmations (one of them twice): not erased yet.
    const confirmations = Object.fromEntries(DATA_SERVICES.map((s) => [s, stack.purged(s, tenant, person, requestId)]));
    for (const service of ['auth', 'tenant', 'key-vault', 'billing'] as const) await stack.send(service, confirmations[service]!);
    await stack.send('auth', confirmations.auth!);
    await waitFor(async () => (await entries({ type: { $regex: 'SubjectDataPurged$' }, subjectId: person })).length === 4, { description: 'four confirmations logged', timeoutMs: 30_000 });
    await stack.runtime.privacy.coordinator.runOnce();
    expect(await ofRequest('audit.SubjectErased', requestId)).toBe(0);

    await stack.send('chat-gateway', confirmations['chat-gateway']!);
    const done = await waitFor(
      async () => {
        const reply = await stack.call('GET', `${base}/requests/${requestId}`, stack.tokenFor(tenant, 'auditor'));
        return reply.body.status === 'completed' ? reply.body : false;
      },
      { description: 'the erasure completed', timeoutMs: 30_000 },
    );
    expect(done).toMatchObject({ outcome: 'fulfilled', erasure: { phase: 'erased', confirmedBy: ['auth', 'billing', 'chat-gateway', 'key-vault', 'tenant'] } });

    // Every confirmation redelivered: still one deletion record.
    for (const service of DATA_SERVICES) await stack.send(service, confirmations[service]!);
    await waitFor(async () => (await entries({ type: 'audit.SubjectErased', subjectId: person })).length === 1, { description: 'SubjectErased in the log', timeoutMs: 30_000 });
    await stack.runtime.privacy.coordinator.runOnce();
    expect(await ofRequest('audit.SubjectErased', requestId)).toBe(1);
    expect(await ofRequest('audit.DataSubjectRequestCompleted', requestId)).toBe(1);
    expect((await entries({ type: { $regex: 'SubjectDataPurged$' }, subjectId: person })).length).toBe(5);

    const erased = (await entries({ type: 'audit.SubjectErased', subjectId: person }))[0]!;
    expect(JSON.parse(erased.payload).subjectErased).toMatchObject({ requestId, subjectId: person, confirmedBy: ['auth', 'billing', 'chat-gateway', 'key-vault', 'tenant'] });

    const records = await stack.call('GET', `${base}/deletion-records`, stack.tokenFor(tenant, 'admin'));
    expect(records.status).toBe(200);
    expect(records.body.records).toContainEqual(expect.objectContaining({ requestId, subjectId: person, confirmedBy: ['auth', 'billing', 'chat-gateway', 'key-vault', 'tenant'] }));
    expect((await stack.call('GET', `${base}/deletion-records`, token)).status).toBe(403);
  });

  it('requests the purge once when several runs race for it (expected version per request stream)', async () => {
    const opened = await stack.call('POST', `${base}/requests`, stack.person(tenant, 'owner').token, { kind: 'erasure', subjectId: uuidv7() });
    stack.clock.setOffset(30 * DAY_MS + 1000);
    const coordinator = stack.runtime.privacy.coordinator;
    await Promise.all([coordinator.runOnce(), coordinator.runOnce(), coordinator.runOnce(), coordinator.reconcile(tenant, opened.body.requestId)]);
    expect(await ofRequest('audit.SubjectPurgeRequested', opened.body.requestId)).toBe(1);
    const view = await stack.call('GET', `${base}/requests/${opened.body.requestId}`, stack.tokenFor(tenant, 'admin'));
    expect(view.body.erasure.phase).toBe('purging');
  });

  it('never purges an erasure cancelled within grace; cancelling after grace is refused', async () => {
    const person = uuidv7();
    const token = stack.tokenFor(tenant, 'member', person);
    const opened = await stack.call('POST', `${base}/requests`, token, { kind: 'erasure' });
    const cancelled = await stack.call('POST', `${base}/requests/${opened.body.requestId}/cancel`, token);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'completed', outcome: 'cancelled', erasure: { phase: 'cancelled' } });
    stack.clock.setOffset(40 * DAY_MS);
    await stack.runtime.privacy.coordinator.runOnce();
    expect(await ofRequest('audit.SubjectPurgeRequested', opened.body.requestId)).toBe(0);
    expect(await ofRequest('audit.ErasureCancelled', opened.body.requestId)).toBe(1);

    // An admin opens one for another person; after grace nobody can cancel it.
    const late = await stack.call('POST', `${base}/requests`, stack.person(tenant, 'admin').token, { kind: 'erasure', subjectId: uuidv7() });
    expect(late.status).toBe(201);
    stack.clock.setOffset(40 * DAY_MS + 31 * DAY_MS);
    const refused = await stack.call('POST', `${base}/requests/${late.body.requestId}/cancel`, stack.person(tenant, 'owner').token);
    expect(refused.status).toBe(409);
  });
});

describe('requests', () => {
  it('lists open, overdue (by the injected clock) and completed requests, paged', async () => {
    const admin = stack.person(tenant, 'admin').token;
    const a = await stack.call('POST', `${base}/requests`, admin, { kind: 'access', subjectId: uuidv7() });
    const b = await stack.call('POST', `${base}/requests`, admin, { kind: 'rectification', subjectId: uuidv7() });
    const c = await stack.call('POST', `${base}/requests`, admin, { kind: 'objection', subjectId: uuidv7() });
    const ids = (reply: { body: Record<string, any> }) => (reply.body.requests as Array<{ requestId: string }>).map((r) => r.requestId);
    expect(ids(await stack.call('GET', `${base}/requests?status=overdue`, admin))).not.toContain(a.body.requestId);
    expect(ids(await stack.call('GET', `${base}/requests?status=open`, admin))).toEqual(expect.arrayContaining([a.body.requestId, b.body.requestId]));
    expect(ids(await stack.call('GET', `${base}/requests?status=completed`, admin))).toContain(c.body.requestId);
    expect(ids(await stack.call('GET', `${base}/requests?status=completed`, admin))).not.toContain(a.body.requestId);

    await stack.call('PUT', '/v1/test/clock', undefined, { offsetMs: 30 * DAY_MS + 60_000 });
    const overdue = await stack.call('GET', `${base}/requests?status=overdue`, stack.tokenFor(tenant, 'auditor'));
    expect(ids(overdue)).toEqual(expect.arrayContaining([a.body.requestId, b.body.requestId]));
    expect(ids(overdue)).not.toContain(c.body.requestId);
    expect(overdue.body.requests.every((r: { overdue: boolean }) => r.overdue)).toBe(true);

    const first = await stack.call('GET', `${base}/requests?limit=1`, admin);
    expect(first.body.requests).toHaveLength(1);
    const second = await stack.call('GET', `${base}/requests?limit=1&after=${first.body.nextAfter}`, admin);
    expect(second.body.requests[0].requestId > first.body.nextAfter).toBe(true);
  });

  it('completes a rectification when an auth AccountRectified of the person is logged after the request', async () => {
    const person = uuidv7();
    const token = stack.tokenFor(tenant, 'member', person);
    const opened = await stack.call('POST', `${base}/requests`, token, { kind: 'rectification' });
    await waitFor(async () => (await entries({ type: 'audit.DataSubjectRequestOpened', subjectId: person })).length === 1, { description: 'the opening logged', timeoutMs: 30_000 });
    await stack.send(
      'auth',
      stack.serviceEvent('auth', tenant, person, { $case: 'accountRectified', value: { subjectId: person, fields: ['display_name'], sealedChanges: 'pf1.x.y' } }, { kind: 1, id: person, role: 'member' }),
    );
    const done = await waitFor(
      async () => {
        const reply = await stack.call('GET', `${base}/requests/${opened.body.requestId}`, token);
        return reply.body.status === 'completed' ? reply.body : false;
      },
      { description: 'the rectification completed', timeoutMs: 30_000 },
    );
    expect(done.outcome).toBe('fulfilled');
  });

  it('restricts at once, lifts on request (the person or an admin), and says 404 when nothing is restricted', async () => {
    const person = uuidv7();
    const token = stack.tokenFor(tenant, 'member', person);
    const opened = await stack.call('POST', `${base}/requests`, token, { kind: 'restriction' });
    expect(opened.body).toMatchObject({ status: 'completed', outcome: 'fulfilled' });
    expect(await ofRequest('audit.ProcessingRestricted', opened.body.requestId)).toBe(1);
    expect((await stack.call('DELETE', `${base}/subjects/${person}/restriction`, stack.tokenFor(tenant, 'member'))).status).toBe(403);
    expect((await stack.call('DELETE', `${base}/subjects/${person}/restriction`, token)).status).toBe(204);
    expect((await events({ type: 'audit.ProcessingRestrictionLifted', subjectId: person })).length).toBe(1);
    expect((await stack.call('DELETE', `${base}/subjects/${person}/restriction`, stack.person(tenant, 'admin').token)).status).toBe(404);
  });

  it('HTTP edges: 401 without a session, 404 for another tenant or a request of someone else, 403 for a member acting for another, 409 for a second open request, 400 for a bad kind', async () => {
    expect((await stack.call('POST', `${base}/requests`, undefined, { kind: 'access' })).status).toBe(401);
    expect((await stack.call('GET', `${base}/requests`, stack.tokenFor(other, 'owner'))).status).toBe(404);
    expect((await stack.call('POST', `${base}/requests`, stack.tokenFor(tenant, 'member'), { kind: 'access', subjectId: uuidv7() })).status).toBe(403);
    expect((await stack.call('POST', `${base}/requests`, stack.tokenFor(tenant, 'member'), { kind: 'forget_me' })).status).toBe(400);
    expect((await stack.call('GET', `${base}/requests?status=late`, stack.tokenFor(tenant, 'admin'))).status).toBe(400);
    expect((await stack.call('GET', `${base}/requests`, stack.tokenFor(tenant, 'member'))).status).toBe(403);
    const person = uuidv7();
    const mine = await stack.call('POST', `${base}/requests`, stack.tokenFor(tenant, 'member', person), { kind: 'access' });
    expect((await stack.call('POST', `${base}/requests`, stack.tokenFor(tenant, 'member', person), { kind: 'access' })).status).toBe(409);
    expect((await stack.call('GET', `${base}/requests/${mine.body.requestId}`, stack.tokenFor(tenant, 'member'))).status).toBe(404);
    expect((await stack.call('GET', `${base}/requests/${mine.body.requestId}`, stack.tokenFor(other, 'admin'))).status).toBe(404);
    expect((await stack.call('GET', `${base}/requests/${uuidv7()}`, stack.tokenFor(tenant, 'admin'))).status).toBe(404);
    expect((await stack.call('POST', `${base}/requests/${mine.body.requestId}/cancel`, stack.tokenFor(tenant, 'auditor'))).status).toBe(403);
    expect((await stack.call('PUT', '/v1/test/clock', undefined, { offsetMs: 'soon' })).status).toBe(400);
  });

  it('rebuilds the read model from the request streams, idempotently', async () => {
    const person = uuidv7();
    const opened = await stack.call('POST', `${base}/requests`, stack.tokenFor(tenant, 'member', person), { kind: 'access' });
    const requests = stack.connection.collection('privacy_requests');
    const before = await requests.findOne({ _id: opened.body.requestId } as never);
    await requests.deleteOne({ _id: opened.body.requestId } as never);
    await stack.runtime.privacy.requests.rebuild();
    await stack.runtime.privacy.requests.rebuild();
    expect(await requests.findOne({ _id: opened.body.requestId } as never)).toEqual(before);
    expect(await requests.countDocuments({ _id: opened.body.requestId } as never)).toBe(1);
  });
});
