import type { Connection, mongo } from 'mongoose';
import { tenantId as checkedTenantId, type TenantId } from '@enclave/eventing';
import type { MemberUsageDay, UsageDetailStore } from '../../privacy/application/ports';
import { byId, MEMBER_MONTHS, rowsOf, toMemberMonth } from './mongo-usage-rollups';

/**
 * The per-member usage detail the privacy rules apply to: the member-month rollups (one row per
 * day and model, which is what is counted as a record) and the ledger rows behind them. Tenant
 * month totals (usage_months) are payment records and name no one: never touched here.
 *
 * These deletions are the only writes besides the usage consumer's, and they never meet it on a
 * document: a purge concerns a person erased weeks before (no usage of theirs is still coming),
 * retention concerns days a year old (default) that no new usage falls on.
 */
export class MongoUsageDetail implements UsageDetailStore {
  constructor(private readonly connection: Connection) {}

  async ofMember(tenant: TenantId, subjectId: string): Promise<MemberUsageDay[]> {
    const docs = await this.memberMonths.find({ tenantId: tenant, memberSubjectId: subjectId }).toArray();
    return docs
      .flatMap(rowsOf)
      .sort((a, b) => (a.day === b.day ? (a.model < b.model ? -1 : a.model > b.model ? 1 : 0) : a.day < b.day ? -1 : 1));
  }

  async deleteMember(tenant: TenantId, subjectId: string): Promise<number> {
    const docs = await this.memberMonths.find({ tenantId: tenant, memberSubjectId: subjectId }, { projection: { rows: 1 } }).toArray();
    const records = docs.reduce((n, doc) => n + rowsOf(doc).length, 0);
    if (docs.length > 0) await this.memberMonths.deleteMany({ tenantId: tenant, memberSubjectId: subjectId });
    await this.ledger.deleteMany({ tenantId: tenant, memberSubjectId: subjectId });
    return records;
  }

  async tenantsWithDetail(): Promise<TenantId[]> {
    const ids = await this.memberMonths.distinct('tenantId');
    return ids.map((id) => checkedTenantId(String(id)));
  }

  /** Rows of days before `day`: whole member-months before its month, and the earlier rows of its month. */
  async deleteBefore(tenant: TenantId, day: string): Promise<number> {
    const month = day.slice(0, 7);
    const docs = await this.memberMonths.find({ tenantId: tenant, month: { $lte: month } }).toArray();
    let records = 0;
    for (const doc of docs) {
      const rollup = toMemberMonth(doc);
      const kept = rollup.rows.filter((r) => r.day >= day);
      if (kept.length === rollup.rows.length) continue;
      records += rollup.rows.length - kept.length;
      if (kept.length === 0) await this.memberMonths.deleteOne(byId(String(doc._id)));
      else await this.memberMonths.replaceOne(byId(String(doc._id)), { ...doc, rows: kept });
    }
    if (records > 0) await this.ledger.deleteMany({ tenantId: tenant, day: { $lt: day } });
    return records;
  }

  private get memberMonths(): mongo.Collection {
    return this.connection.collection(MEMBER_MONTHS) as unknown as mongo.Collection;
  }

  private get ledger(): mongo.Collection {
    return this.connection.collection('usage_ledger') as unknown as mongo.Collection;
  }
}
