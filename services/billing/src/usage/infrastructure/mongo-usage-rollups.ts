import type { Connection, mongo } from 'mongoose';
import type { TenantId } from '@enclave/eventing';
import { BreakdownAccumulator } from '../domain/month-breakdown';
import { memberMonthRollupId, monthRollupId, type DetailRow, type MemberMonthRollup, type MonthRollup } from '../domain/usage-rollup';
import type { MonthBreakdown, Totals, UsageRollupStore, UsageTotalsStore } from '../application/ports';

export const MONTHS = 'usage_months';
export const MEMBER_MONTHS = 'usage_member_months';

/**
 * The usage projections: usage_months (_id tenant|month: totals, by day, by model) and
 * usage_member_months (_id tenant|month|member: the member's rows by day and model). Read and
 * replaced whole by _id, written by the one consumer of the tenant's partition (see
 * ProjectUsageBatch): one document per tenant, month and member, so these collections stay small
 * (FerretDB v1 on SQLite scans a collection even for an _id). Filters on other fields (the
 * report's members, the start-up re-sync, privacy requests) are rare reads.
 */
export class MongoUsageRollups implements UsageRollupStore, UsageTotalsStore {
  constructor(private readonly connection: Connection) {}

  async init(): Promise<void> {
    for (const name of [MONTHS, MEMBER_MONTHS]) {
      await this.connection.createCollection(name).catch((error: { codeName?: string }) => {
        if (error?.codeName !== 'NamespaceExists') throw error;
      });
    }
  }

  async month(tenant: string, month: string): Promise<MonthRollup | null> {
    const doc = await this.months.findOne(byId(monthRollupId(tenant, month)));
    return doc ? toMonth(doc) : null;
  }

  async memberMonth(tenant: string, month: string, memberSubjectId: string): Promise<MemberMonthRollup | null> {
    const doc = await this.memberMonths.findOne(byId(memberMonthRollupId(tenant, month, memberSubjectId)));
    return doc ? toMemberMonth(doc) : null;
  }

  async saveMonth(r: MonthRollup): Promise<void> {
    const id = monthRollupId(r.tenantId, r.month);
    await this.months.replaceOne(byId(id), { tenantId: r.tenantId, month: r.month, ...r.totals, byDay: r.byDay, byModel: r.byModel, through: r.through }, { upsert: true });
  }

  async saveMemberMonth(r: MemberMonthRollup): Promise<void> {
    const id = memberMonthRollupId(r.tenantId, r.month, r.memberSubjectId);
    await this.memberMonths.replaceOne(byId(id), { tenantId: r.tenantId, month: r.month, memberSubjectId: r.memberSubjectId, rows: r.rows, through: r.through }, { upsert: true });
  }

  async monthTotals(tenant: TenantId, month: string): Promise<Totals> {
    return (await this.month(tenant, month))?.totals ?? { promptTokens: 0, completionTokens: 0, messages: 0 };
  }

  /** By day and model from the month; by member from the members' detail (gone once purged or past retention). */
  async monthBreakdown(tenant: TenantId, month: string): Promise<MonthBreakdown> {
    const rollup = await this.month(tenant, month);
    const members = new BreakdownAccumulator();
    for await (const doc of this.memberMonths.find({ tenantId: tenant, month }, { projection: { memberSubjectId: 1, rows: 1 } })) {
      for (const row of rowsOf(doc)) members.add({ ...row, memberSubjectId: String(doc.memberSubjectId) });
    }
    return { byMember: members.result().byMember, byModel: rollup?.byModel ?? [], byDay: rollup?.byDay ?? [] };
  }

  async *allTenantsOfMonth(month: string): AsyncIterable<{ tenantId: string; totals: Totals }> {
    for await (const doc of this.months.find({ month })) yield { tenantId: String(doc.tenantId), totals: totalsOf(doc) };
  }

  private get months(): mongo.Collection {
    return this.connection.collection(MONTHS) as unknown as mongo.Collection;
  }

  private get memberMonths(): mongo.Collection {
    return this.connection.collection(MEMBER_MONTHS) as unknown as mongo.Collection;
  }
}

export function byId(id: string): mongo.Filter<mongo.Document> {
  return { _id: id as unknown as mongo.ObjectId };
}

export function totalsOf(doc: mongo.Document | null | undefined): Totals {
  return {
    promptTokens: Number(doc?.promptTokens ?? 0),
    completionTokens: Number(doc?.completionTokens ?? 0),
    messages: Number(doc?.messages ?? 0),
  };
}

export function rowsOf(doc: mongo.Document): DetailRow[] {
  const rows = Array.isArray(doc.rows) ? (doc.rows as mongo.Document[]) : [];
  return rows.map((r) => ({ day: String(r.day), model: String(r.model), ...totalsOf(r) }));
}

function throughOf(doc: mongo.Document): Record<string, number> {
  const through: Record<string, number> = {};
  for (const [k, v] of Object.entries((doc.through ?? {}) as Record<string, unknown>)) through[k] = Number(v);
  return through;
}

function toMonth(doc: mongo.Document): MonthRollup {
  const list = (value: unknown) => (Array.isArray(value) ? (value as mongo.Document[]) : []);
  return {
    tenantId: String(doc.tenantId),
    month: String(doc.month),
    totals: totalsOf(doc),
    byDay: list(doc.byDay).map((r) => ({ day: String(r.day), ...totalsOf(r) })),
    byModel: list(doc.byModel).map((r) => ({ model: String(r.model), ...totalsOf(r) })),
    through: throughOf(doc),
  };
}

export function toMemberMonth(doc: mongo.Document): MemberMonthRollup {
  return { tenantId: String(doc.tenantId), month: String(doc.month), memberSubjectId: String(doc.memberSubjectId), rows: rowsOf(doc), through: throughOf(doc) };
}
