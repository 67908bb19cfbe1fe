// Against real Kafka and FerretDB, through HTTP: is a breach recorded on its own stream with notify-by = detected + 72 h (description kept out of events and the log), listed open, marked notified once auth's BreachNotificationSent reaches the log (first one counts, redelivery changes nothing), listed overdue by the privacy clock only while not notified, resolved once, and are bad calls refused with 400/401/403/404/409?
import { createUuidV7Generator, uuidv7 } from '@enclave/platform';
import { eventsV1 } from '@enclave/proto';
import { waitFor } from '@enclave/testing';
import { newTenantId } from '../../test-support/audit-test-kit.helper.spec';
import { startPrivacyStack, type PrivacyStack } from '../../test-support/privacy-stack.helper.spec';

jest.setTimeout(120_000);

const HOUR = 3_600_000;
let stack: PrivacyStack;
const tenant = newTenantId();
const other = newTenantId();
const base = `/v1/tenants/${tenant}/privacy/breaches`;
const SECRET = 'Leaked export of jane.doe@example.org and her phone +44 20 7946 0000';

const events = (filter: Record<string, unknown>) => stack.connection.collection('events').find({ tenantId: tenant, ...filter }).toArray();
const entries = (filter: Record<string, unknown>) => stack.connection.collection('audit_entries').find({ tenantId: tenant, ...filter }).sort({ seq: 1 }).toArray();
const ids = (reply: { body: Record<string, any> }) => (reply.body.incidents as Array<{ incidentId: string }>).map((r) => r.incidentId);
const iso = (ms: number) => new Date(ms).toISOString();
const notified = (incidentId: string, recipients: number, tenantId = tenant) =>
  stack.serviceEvent('auth', tenantId, '', { $case: 'breachNotificationSent', value: { incidentId, recipients } }, { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'auth', role: '' });

beforeAll(async () => {
  stack = await startPrivacyStack('audit-breaches-int');
});

afterAll(async () => {
  await stack?.close();
});

afterEach(() => stack.clock.setOffset(0));

describe('recording and notification', () => {
  it('records on its own stream, lists it open, and marks it notified when auth confirms (once, first confirmation counts)', async () => {
    const admin = stack.tokenFor(tenant, 'admin');
    const detectedAtMs = stack.clock.now() - 2 * HOUR;
    const recorded = await stack.call('POST', base, admin, { description: SECRET, detectedAt: iso(detectedAtMs), severity: 'high', affectedSubjectCount: 40 });
    expect(recorded.status).toBe(201);
    const incidentId = recorded.body.incidentId as string;
    expect(recorded.body).toMatchObject({ severity: 'high', affectedSubjectCount: 40, status: 'open', detectedAt: iso(detectedAtMs), notifyBy: iso(detectedAtMs + 72 * HOUR), notifiedAt: null, overdue: false });
    expect(recorded.raw).not.toContain('jane.doe');

    const stored = await events({ streamId: `privacy-breach:${incidentId}` });
    expect(stored.map((e) => [e.type, e.version])).toEqual([['audit.BreachIncidentRecorded', 1]]);
    expect(Buffer.from(stored[0]!.payload.buffer).toString('latin1')).not.toContain('jane.doe');
    const logged = await waitFor(async () => (await entries({ type: 'audit.BreachIncidentRecorded' })).find((e) => e.payload.includes(incidentId)) ?? false, {
      description: 'BreachIncidentRecorded in the log',
      timeoutMs: 30_000,
    });
    expect(JSON.parse(logged.payload).breachIncidentRecorded).toMatchObject({ incidentId, severity: 'high' });
    expect(logged.payload).not.toContain('jane');
    const description = await stack.connection.collection('privacy_breach_descriptions').findOne({ _id: incidentId } as never);
    expect(description).toMatchObject({ tenantId: tenant, description: SECRET });

    expect(ids(await stack.call('GET', `${base}?status=open`, stack.tokenFor(tenant, 'auditor')))).toContain(incidentId);
    const one = await stack.call('GET', `${base}/${incidentId}`, stack.tokenFor(tenant, 'owner'));
    expect(one.body).toMatchObject({ incidentId, description: SECRET });
    const listed = await stack.call('GET', base, admin);
    expect(listed.raw).not.toContain('jane.doe');

    await stack.send('auth', notified(incidentId, 2));
    const done = await waitFor(
      async () => {
        const reply = await stack.call('GET', `${base}/${incidentId}`, admin);
        return reply.body.notifiedAt ? reply.body : false;
      },
      { description: 'the incident notified', timeoutMs: 30_000 },
    );
    expect(done).toMatchObject({ recipients: 2, overdue: false });

    // A later confirmation (or a confirmation sent from another tenant) changes nothing.
    await stack.send('auth', notified(incidentId, 7), notified(incidentId, 9, other));
    await waitFor(async () => (await entries({ type: 'auth.BreachNotificationSent' })).length >= 2, { description: 'the second confirmation logged', timeoutMs: 30_000 });
    await stack.runtime.privacy.coordinator.runOnce();
    expect((await stack.call('GET', `${base}/${incidentId}`, admin)).body).toMatchObject({ recipients: 2, notifiedAt: done.notifiedAt });
  });

  it('lists as overdue by the privacy clock only while not notified; the rebuilt read model keeps the notification', async () => {
    const owner = stack.tokenFor(tenant, 'owner');
    const detectedAt = iso(stack.clock.now() - HOUR);
    const late = await stack.call('POST', base, owner, { description: 'lost laptop', detectedAt, severity: 'low', affectedSubjectCount: 3 });
    const told = await stack.call('POST', base, owner, { description: 'misdirected mail', detectedAt, severity: 'low', affectedSubjectCount: 1 });
    expect(ids(await stack.call('GET', `${base}?status=overdue`, owner))).not.toContain(late.body.incidentId);

    await stack.send('auth', notified(told.body.incidentId, 1));
    await waitFor(async () => Boolean((await stack.call('GET', `${base}/${told.body.incidentId}`, owner)).body.notifiedAt), { description: 'notified', timeoutMs: 30_000 });

    await stack.call('PUT', '/v1/test/clock', undefined, { offsetMs: 71 * HOUR + 60_000 });
    const overdue = await stack.call('GET', `${base}?status=overdue`, stack.tokenFor(tenant, 'auditor'));
    expect(ids(overdue)).toContain(late.body.incidentId);
    expect(ids(overdue)).not.toContain(told.body.incidentId);
    expect(overdue.body.incidents.every((i: { overdue: boolean }) => i.overdue)).toBe(true);

    await stack.connection.collection('privacy_breaches').deleteMany({ tenantId: tenant });
    await stack.runtime.privacy.breaches.rebuild();
    await stack.runtime.privacy.breaches.rebuild();
    expect((await stack.call('GET', `${base}/${told.body.incidentId}`, owner)).body).toMatchObject({ recipients: 1, overdue: false });
    expect(ids(await stack.call('GET', `${base}?status=overdue`, owner))).toContain(late.body.incidentId);
  });

  it('resolves once (409 the second time), lists it resolved, not open', async () => {
    const admin = stack.tokenFor(tenant, 'admin');
    const rec = await stack.call('POST', base, admin, { description: 'x', detectedAt: iso(stack.clock.now()), severity: 'low', affectedSubjectCount: 0 });
    const resolved = await stack.call('POST', `${base}/${rec.body.incidentId}/resolve`, admin);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    expect((await stack.call('POST', `${base}/${rec.body.incidentId}/resolve`, admin)).status).toBe(409);
    expect(ids(await stack.call('GET', `${base}?status=resolved`, admin))).toContain(rec.body.incidentId);
    expect(ids(await stack.call('GET', `${base}?status=open`, admin))).not.toContain(rec.body.incidentId);
    expect((await events({ streamId: `privacy-breach:${rec.body.incidentId}` })).map((e) => e.type)).toEqual(['audit.BreachIncidentRecorded', 'audit.BreachIncidentResolved']);
  });
});

describe('HTTP edges', () => {
  const good = () => ({ description: SECRET, detectedAt: iso(stack.clock.now() - HOUR), severity: 'high', affectedSubjectCount: 1 });

  it('400 for a future detection, a bad date, severity, count, a missing or extra field; the description is not echoed', async () => {
    const admin = stack.tokenFor(tenant, 'admin');
    const bodies: Array<Record<string, unknown>> = [
      { ...good(), detectedAt: iso(stack.clock.now() + HOUR) },
      { ...good(), detectedAt: 'yesterday' },
      { ...good(), severity: 'medium' },
      { ...good(), affectedSubjectCount: -1 },
      { ...good(), affectedSubjectCount: 2.5 },
      { ...good(), description: '   ' },
      { detectedAt: good().detectedAt, severity: 'low', affectedSubjectCount: 1 },
      { ...good(), extra: true },
    ];
    for (const body of bodies) {
      const reply = await stack.call('POST', base, admin, body);
      expect([reply.status, reply.body.error]).toEqual([400, 'bad_request']);
      expect(reply.raw).not.toContain('jane.doe');
    }
    expect((await stack.call('GET', `${base}?status=late`, admin)).status).toBe(400);
    expect((await stack.call('GET', `${base}/bad%20id`, admin)).status).toBe(400);
  });

  it('400 for a detection before the tenant existed (the time in a UUIDv7 tenant id)', async () => {
    const createdAt = stack.clock.now() - 10 * HOUR;
    const young = createUuidV7Generator({ now: () => createdAt })();
    const admin = stack.tokenFor(young, 'admin');
    const url = `/v1/tenants/${young}/privacy/breaches`;
    const before = await stack.call('POST', url, admin, { ...good(), detectedAt: iso(createdAt - HOUR) });
    expect(before.status).toBe(400);
    expect(before.body.message).toMatch(/before the tenant existed/);
    expect((await stack.call('POST', url, admin, { ...good(), detectedAt: iso(createdAt + HOUR) })).status).toBe(201);
  });

  it('401 without a session, 403 for members and auditors writing, 404 for another tenant or an unknown incident', async () => {
    expect((await stack.call('POST', base, undefined, good())).status).toBe(401);
    expect((await stack.call('GET', base)).status).toBe(401);
    expect((await stack.call('POST', base, stack.tokenFor(tenant, 'member'), good())).status).toBe(403);
    expect((await stack.call('POST', base, stack.tokenFor(tenant, 'auditor'), good())).status).toBe(403);
    expect((await stack.call('GET', base, stack.tokenFor(tenant, 'member'))).status).toBe(403);
    const rec = await stack.call('POST', base, stack.tokenFor(tenant, 'owner'), good());
    expect((await stack.call('POST', `${base}/${rec.body.incidentId}/resolve`, stack.tokenFor(tenant, 'auditor'))).status).toBe(403);
    expect((await stack.call('GET', base, stack.tokenFor(other, 'owner'))).status).toBe(404);
    expect((await stack.call('GET', `/v1/tenants/${other}/privacy/breaches/${rec.body.incidentId}`, stack.tokenFor(other, 'owner'))).status).toBe(404);
    expect((await stack.call('POST', `/v1/tenants/${other}/privacy/breaches/${rec.body.incidentId}/resolve`, stack.tokenFor(other, 'owner'))).status).toBe(404);
    expect((await stack.call('GET', `${base}/${uuidv7()}`, stack.tokenFor(tenant, 'admin'))).status).toBe(404);
  });
});
