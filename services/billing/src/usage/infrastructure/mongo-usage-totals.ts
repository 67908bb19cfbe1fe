import type { Connection, Model, mongo } from 'mongoose';
import { tenantId as checkedTenantId, type TenantId } from '@enclave/eventing';
import type { MemberUsageDay, UsageDetailStore } from '../../privacy/application/ports';
import { BreakdownAccumulator } from '../domain/month-breakdown';
import { daysOfMonth } from '../domain/periods';
import type { UsageIncrement } from '../domain/usage-increment';
import type { DailyKey, MonthBreakdown, Totals, UsageTotalsStore } from '../application/ports';
import { guardedIncrement, totalsOf } from './guarded-increment';
import { usageDailySchema, usageMonthlySchema } from './usage-totals.schemas';

/**
 * Usage totals in collections usage_daily (per member: the detail privacy rules apply to) and
 * usage_monthly (per tenant: payment records); every query names its tenant.
 */
export class MongoUsageTotals implements UsageTotalsStore, UsageDetailStore {
  private readonly daily: Model<unknown>;
  private readonly monthly: Model<unknown>;

  constructor(connection: Connection) {
    this.daily = connection.models.UsageDaily ?? connection.model('UsageDaily', usageDailySchema);
    this.monthly = connection.models.UsageMonthly ?? connection.model('UsageMonthly', usageMonthlySchema);
  }

  async init(): Promise<void> {
    for (const model of [this.daily, this.monthly]) {
      await model.init();
      await model.createIndexes();
    }
  }

  async applyDaily(tenant: TenantId, key: DailyKey, eventId: string, inc: UsageIncrement): Promise<{ applied: boolean }> {
    const { applied } = await guardedIncrement(this.dailyCollection, { tenantId: tenant, ...key }, eventId, inc);
    return { applied };
  }

  applyMonthly(tenant: TenantId, month: string, eventId: string, inc: UsageIncrement) {
    return guardedIncrement(this.monthlyCollection, { tenantId: tenant, month }, eventId, inc);
  }

  async monthTotals(tenant: TenantId, month: string): Promise<Totals> {
    const doc = await this.monthlyCollection.findOne(
      { tenantId: tenant, month },
      { projection: { promptTokens: 1, completionTokens: 1, messages: 1 } },
    );
    return totalsOf(doc);
  }

  async monthBreakdown(tenant: TenantId, month: string): Promise<MonthBreakdown> {
    const { first, last } = daysOfMonth(month);
    const acc = new BreakdownAccumulator();
    const cursor = this.dailyCollection.find(
      { tenantId: tenant, day: { $gte: first, $lte: last } },
      { projection: { day: 1, memberSubjectId: 1, model: 1, promptTokens: 1, completionTokens: 1, messages: 1 } },
    );
    for await (const doc of cursor) {
      acc.add({ day: String(doc.day), memberSubjectId: String(doc.memberSubjectId), model: String(doc.model), ...totalsOf(doc) });
    }
    return acc.result();
  }

  async *allTenantsOfMonth(month: string): AsyncIterable<{ tenantId: string; totals: Totals }> {
    const cursor = this.monthlyCollection.find(
      { month },
      { projection: { tenantId: 1, promptTokens: 1, completionTokens: 1, messages: 1 } },
    );
    for await (const doc of cursor) yield { tenantId: String(doc.tenantId), totals: totalsOf(doc) };
  }

  async ofMember(tenant: TenantId, subjectId: string): Promise<MemberUsageDay[]> {
    const docs = await this.dailyCollection
      .find({ tenantId: tenant, memberSubjectId: subjectId }, { projection: { day: 1, model: 1, promptTokens: 1, completionTokens: 1, messages: 1 } })
      .toArray();
    return docs
      .map((doc) => ({ day: String(doc.day), model: String(doc.model), ...totalsOf(doc) }))
      .sort((a, b) => (a.day === b.day ? (a.model < b.model ? -1 : a.model > b.model ? 1 : 0) : a.day < b.day ? -1 : 1));
  }

  async deleteMember(tenant: TenantId, subjectId: string): Promise<number> {
    return (await this.dailyCollection.deleteMany({ tenantId: tenant, memberSubjectId: subjectId })).deletedCount;
  }

  async tenantsWithDetail(): Promise<TenantId[]> {
    const ids = await this.dailyCollection.distinct('tenantId');
    return ids.map((id) => checkedTenantId(String(id)));
  }

  async deleteBefore(tenant: TenantId, day: string): Promise<number> {
    return (await this.dailyCollection.deleteMany({ tenantId: tenant, day: { $lt: day } })).deletedCount;
  }

  private get dailyCollection(): mongo.Collection {
    return this.daily.collection as unknown as mongo.Collection;
  }

  private get monthlyCollection(): mongo.Collection {
    return this.monthly.collection as unknown as mongo.Collection;
  }
}
