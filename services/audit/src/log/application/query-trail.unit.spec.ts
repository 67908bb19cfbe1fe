// Does a trail query page by seq, say where the next page starts, and record itself as AuditTrailQueried?
import { tenantId, type Actor, type TenantId } from '@enclave/eventing';
import type { TrailAccessStore } from '../../trail-events/application/record-trail-access';
import { RecordTrailAccess } from '../../trail-events/application/record-trail-access';
import type { TrailAccessEvent } from '../../trail-events/domain/trail-access';
import type { EntryDraft } from '../domain/audit-entry';
import { AppendToLog } from './append-to-log';
import { InMemoryAuditLog } from './in-memory-audit-log.helper.spec';
import { QueryTrail, summarize } from './query-trail';

class RecordedAccesses implements TrailAccessStore {
  readonly appended: Array<{ tenant: TenantId; subjectId: string; actor: Actor; events: readonly TrailAccessEvent[] }> = [];
  async appendAccess(tenant: TenantId, subjectId: string, actor: Actor, events: readonly TrailAccessEvent[]): Promise<void> {
    this.appended.push({ tenant, subjectId, actor, events });
  }
}

const auditor: Actor = { kind: 1, id: 'sub-auditor', role: 'auditor' };
const tenant = tenantId('t-1');
const draft = (i: number, type: string, subjectId: string): EntryDraft => ({
  tenantId: tenant,
  eventId: `e${i}`,
  service: 'tenant',
  type,
  actor: { kind: 'person', id: 'sub-admin', role: 'admin' },
  subjectId,
  occurredAt: new Date(Date.UTC(2025, 2, i)),
  recordedAt: new Date(Date.UTC(2025, 2, i, 1)),
  payload: '{}',
});

async function setUp() {
  const log = new InMemoryAuditLog();
  const append = new AppendToLog(log);
  for (let i = 1; i <= 5; i++) await append.execute(draft(i, i % 2 ? 'tenant.MemberAdded' : 'tenant.SettingsChanged', i % 2 ? `sub-${i}` : ''));
  const accesses = new RecordedAccesses();
  const record = new RecordTrailAccess(accesses);
  return { log, accesses, query: new QueryTrail(log, record) };
}

describe('QueryTrail', () => {
  it('pages in seq order and gives nextAfter until the last page', async () => {
    const { query } = await setUp();
    const first = await query.execute(tenant, { limit: 2 }, auditor);
    expect(first.entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(first.nextAfter).toBe(2);
    const last = await query.execute(tenant, { limit: 3, after: 2 }, auditor);
    expect(last.entries.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(last.nextAfter).toBeNull();
  });

  it('filters, and records who queried what and how much came back', async () => {
    const { query, accesses } = await setUp();
    const page = await query.execute(tenant, { type: 'tenant.MemberAdded', subject: 'sub-3', limit: 10 }, auditor);
    expect(page.entries.map((e) => e.eventId)).toEqual(['e3']);
    expect(accesses.appended).toEqual([
      {
        tenant,
        subjectId: 'sub-3',
        actor: auditor,
        events: [{ type: 'AuditTrailQueried', filterSummary: '{"limit":10,"subject":"sub-3","type":"tenant.MemberAdded"}', resultCount: 1 }],
      },
    ]);
  });

  it('summarizes a filter as canonical JSON with ISO times', () => {
    expect(summarize({ from: new Date('2025-03-01T00:00:00Z'), after: 7, limit: 100 })).toBe(
      '{"after":7,"from":"2025-03-01T00:00:00.000Z","limit":100}',
    );
  });
});
