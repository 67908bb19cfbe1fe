// Over HTTP, in process against real FerretDB: do the audit query and verify endpoints answer 200, 400, 401, 403 and 404 as specified, and record each access in audit's event store?
import { testSessions, type Role } from '@enclave/session';
import type { EntryDraft } from '../domain/audit-entry';
import { newTenantId } from '../../test-support/audit-test-kit.helper.spec';
import { startAuditHttp } from '../../test-support/audit-http-kit.helper.spec';

jest.setTimeout(60_000);

let kit: Awaited<ReturnType<typeof startAuditHttp>>;
const tenant = newTenantId();
const call: typeof kit.call = (...args) => kit.call(...args);
const tokenFor: typeof kit.tokenFor = (...args) => kit.tokenFor(...args);

const draft = (i: number, type: string, actorId: string, subjectId: string): EntryDraft => ({
  tenantId: tenant,
  eventId: `${tenant}-e${i}`,
  service: type.split('.')[0]!,
  type,
  actor: { kind: 'person', id: actorId, role: 'admin' },
  subjectId,
  occurredAt: new Date(Date.UTC(2025, 2, i, 12)),
  recordedAt: new Date(Date.UTC(2025, 2, i, 12, 0, 1)),
  payload: `{"n":${i}}`,
});

const accessEvents = (type: string) => kit.connection.collection('events').find({ tenantId: tenant, type }).toArray();

beforeAll(async () => {
  kit = await startAuditHttp('audit-http');
  for (let i = 1; i <= 6; i++) {
    await kit.runtime.append.execute(draft(i, i % 2 ? 'tenant.MemberAdded' : 'chat-gateway.UsageRecorded', i % 3 ? 'sub-ada' : 'sub-bo', `sub-m${i}`));
  }
});

afterAll(async () => {
  await kit?.close();
});

describe('GET /v1/tenants/:tenantId/audit/events', () => {
  it.each<Role>(['auditor', 'owner'])('200 for the %s: entries in seq order without internal ids', async (role) => {
    const res = await call('GET', `/v1/tenants/${tenant}/audit/events`, tokenFor(tenant, role));
    expect(res.status).toBe(200);
    const entries = res.body.entries as Array<Record<string, unknown>>;
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(res.body.nextAfter).toBeNull();
    expect(entries[0]).toEqual({
      tenantId: tenant,
      seq: 1,
      eventId: `${tenant}-e1`,
      service: 'tenant',
      type: 'tenant.MemberAdded',
      actor: { kind: 'person', id: 'sub-ada', role: 'admin' },
      subjectId: 'sub-m1',
      occurredAt: '2025-03-01T12:00:00.000Z',
      recordedAt: '2025-03-01T12:00:01.000Z',
      payload: { n: 1 },
      prevHash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.raw).not.toContain('_id');
  });

  it('pages with limit and after, nextAfter pointing at the last seq returned', async () => {
    const token = tokenFor(tenant, 'auditor');
    const first = await call('GET', `/v1/tenants/${tenant}/audit/events?limit=4`, token);
    expect((first.body.entries as Array<{ seq: number }>).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(first.body.nextAfter).toBe(4);
    const second = await call('GET', `/v1/tenants/${tenant}/audit/events?limit=4&after=4`, token);
    expect((second.body.entries as Array<{ seq: number }>).map((e) => e.seq)).toEqual([5, 6]);
    expect(second.body.nextAfter).toBeNull();
  });

  it('filters by type, actor, subject and time', async () => {
    const token = tokenFor(tenant, 'auditor');
    const seqs = async (query: string) =>
      ((await call('GET', `/v1/tenants/${tenant}/audit/events?${query}`, token)).body.entries as Array<{ seq: number }>).map((e) => e.seq);
    expect(await seqs('type=tenant.MemberAdded')).toEqual([1, 3, 5]);
    expect(await seqs('actor=sub-bo')).toEqual([3, 6]);
    expect(await seqs('subject=sub-m4')).toEqual([4]);
    expect(await seqs('from=2025-03-02T12:00:00Z&to=2025-03-04T12:00:00Z')).toEqual([2, 3]);
    expect(await seqs('type=tenant.MemberAdded&actor=sub-ada&from=2025-03-02T00:00:00%2B00:00')).toEqual([5]);
  });

  it('records each query as AuditTrailQueried by the session person', async () => {
    const before = (await accessEvents('audit.AuditTrailQueried')).length;
    await call('GET', `/v1/tenants/${tenant}/audit/events?subject=sub-m2&limit=5`, tokenFor(tenant, 'auditor', 'sub-the-auditor'));
    const after = await accessEvents('audit.AuditTrailQueried');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ subjectId: 'sub-m2', actor: { kind: 1, id: 'sub-the-auditor', role: 'auditor' } });
  });

  it.each([
    'limit=0',
    'limit=501',
    'limit=ten',
    'after=-1',
    'from=yesterday',
    'to=2025-03-01',
    'from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z',
    'type=a%20b',
    'type=a&type=b',
    'sort=desc',
  ])('400 for %s', async (query) => {
    const res = await call('GET', `/v1/tenants/${tenant}/audit/events?${query}`, tokenFor(tenant, 'auditor'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request' });
  });

  it('401 without a session or with one signed by another key', async () => {
    expect((await call('GET', `/v1/tenants/${tenant}/audit/events`)).status).toBe(401);
    expect((await call('GET', `/v1/tenants/${tenant}/audit/events`, testSessions().mint({ tenantId: tenant, role: 'auditor' }).token)).status).toBe(401);
  });

  it.each<Role>(['admin', 'member'])('403 for a %s', async (role) => {
    expect((await call('GET', `/v1/tenants/${tenant}/audit/events`, tokenFor(tenant, role))).status).toBe(403);
  });

  it("404 for another tenant's log", async () => {
    const res = await call('GET', `/v1/tenants/${tenant}/audit/events`, tokenFor(newTenantId(), 'auditor'));
    expect(res.status).toBe(404);
    expect(res.raw).not.toContain('sub-m1');
  });
});

describe('GET /v1/tenants/:tenantId/audit/events/count', () => {
  it('counts what the same filters would page through, and records the count like a query', async () => {
    const token = tokenFor(tenant, 'auditor', 'sub-the-counter');
    const count = async (query: string) => (await call('GET', `/v1/tenants/${tenant}/audit/events/count?${query}`, token)).body.count;
    const before = (await accessEvents('audit.AuditTrailQueried')).length;
    expect(await count('type=chat-gateway.UsageRecorded')).toBe(3);
    expect(await count('type=tenant.MemberAdded&actor=sub-ada&after=1')).toBe(1);
    expect(await count('from=2025-03-02T12:00:00Z&to=2025-03-04T12:00:00Z')).toBe(2);
    expect(await count('subject=nobody')).toBe(0);
    const after = await accessEvents('audit.AuditTrailQueried');
    expect(after).toHaveLength(before + 4);
    expect(after.at(-1)).toMatchObject({ subjectId: 'nobody', actor: { id: 'sub-the-counter', role: 'auditor' } });
  });

  it.each(['limit=5', 'after=-1', 'type=a&type=b', 'sort=desc'])('400 for %s', async (query) => {
    const res = await call('GET', `/v1/tenants/${tenant}/audit/events/count?${query}`, tokenFor(tenant, 'auditor'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request' });
  });

  it("403 for admins and members, 404 for another tenant's log", async () => {
    for (const role of ['admin', 'member'] as const) {
      expect((await call('GET', `/v1/tenants/${tenant}/audit/events/count`, tokenFor(tenant, role))).status).toBe(403);
    }
    expect((await call('GET', `/v1/tenants/${tenant}/audit/events/count`, tokenFor(newTenantId(), 'auditor'))).status).toBe(404);
  });
});

describe('POST /v1/tenants/:tenantId/audit/verify', () => {
  it.each<Role>(['auditor', 'owner'])('200 for the %s: intact, every entry checked, and recorded', async (role) => {
    const before = (await accessEvents('audit.AuditLogVerified')).length;
    const res = await call('POST', `/v1/tenants/${tenant}/audit/verify`, tokenFor(tenant, role));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ intact: true, entriesChecked: 6, checkpointsChecked: 0, latestCheckpoint: null });
    expect(await accessEvents('audit.AuditLogVerified')).toHaveLength(before + 1);
  });

  it('200 for an empty log', async () => {
    const other = newTenantId();
    expect((await call('POST', `/v1/tenants/${other}/audit/verify`, tokenFor(other, 'auditor'))).body).toEqual({
      intact: true,
      entriesChecked: 0,
      checkpointsChecked: 0,
      latestCheckpoint: null,
    });
  });

  it('401 without a session', async () => {
    expect((await call('POST', `/v1/tenants/${tenant}/audit/verify`)).status).toBe(401);
  });

  it.each<Role>(['admin', 'member'])('403 for a %s', async (role) => {
    expect((await call('POST', `/v1/tenants/${tenant}/audit/verify`, tokenFor(tenant, role))).status).toBe(403);
  });

  it("404 for another tenant's log", async () => {
    expect((await call('POST', `/v1/tenants/${tenant}/audit/verify`, tokenFor(newTenantId(), 'owner'))).status).toBe(404);
  });

  it('names the altered entry after a stored document was changed', async () => {
    await kit.connection.collection('audit_entries').updateOne({ tenantId: tenant, seq: 5 }, { $set: { subjectId: 'sub-forged' } });
    const res = await call('POST', `/v1/tenants/${tenant}/audit/verify`, tokenFor(tenant, 'auditor'));
    expect(res.body).toEqual({
      intact: false,
      entriesChecked: 5,
      checkpointsChecked: 0,
      latestCheckpoint: null,
      firstBroken: { seq: 5, eventId: `${tenant}-e5`, reason: 'hash_mismatch' },
    });
  });
});
