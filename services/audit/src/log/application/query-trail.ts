// GET /v1/tenants/:tenantId/audit/events: a page of the tenant's log in seq order. The query is
// itself recorded (AuditTrailQueried), so the trail shows who looked at it and for what.
import type { Actor, TenantId } from '@enclave/eventing';
import type { RecordTrailAccess } from '../../trail-events/application/record-trail-access';
import { canonicalJson } from '../domain/canonical-json';
import type { AuditEntry } from '../domain/audit-entry';
import type { AuditLogStore, TrailFilter } from './ports';

export interface TrailPage {
  entries: AuditEntry[];
  /** Pass as `after` for the next page; null when this page reached the end. */
  nextAfter: number | null;
}

export class QueryTrail {
  constructor(
    private readonly store: AuditLogStore,
    private readonly record: RecordTrailAccess,
  ) {}

  async execute(tenant: TenantId, filter: TrailFilter, actor: Actor): Promise<TrailPage> {
    const rows = await this.store.query(tenant, { ...filter, limit: filter.limit + 1 });
    const entries = rows.slice(0, filter.limit);
    const more = rows.length > filter.limit;
    await this.record.execute(
      tenant,
      { type: 'RecordTrailQuery', filterSummary: summarize(filter), resultCount: entries.length },
      actor,
      filter.subject ?? '',
    );
    return { entries, nextAfter: more ? entries.at(-1)!.seq : null };
  }

  /** GET …/audit/events/count: how many entries match, recorded like a query. */
  async count(tenant: TenantId, filter: Omit<TrailFilter, 'limit'>, actor: Actor): Promise<number> {
    const count = await this.store.count(tenant, filter);
    await this.record.execute(
      tenant,
      { type: 'RecordTrailQuery', filterSummary: summarize({ ...filter, limit: 0 }), resultCount: count },
      actor,
      filter.subject ?? '',
    );
    return count;
  }
}

/** The filter as canonical JSON: ids in it are pseudonymous, times ISO. */
export function summarize(filter: TrailFilter): string {
  return canonicalJson({
    type: filter.type,
    actor: filter.actor,
    subject: filter.subject,
    from: filter.from?.toISOString(),
    to: filter.to?.toISOString(),
    after: filter.after,
    limit: filter.limit,
  });
}
