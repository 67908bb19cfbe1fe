import type { Connection, Model, mongo } from 'mongoose';
import type { TenantId } from '@enclave/eventing';
import { BreakdownAccumulator } from '../domain/month-breakdown';
import { daysOfMonth } from '../domain/periods';
import type { UsageIncrement } from '../domain/usage-increment';
import type { DailyKey, MonthBreakdown, Totals, UsageTotalsStore } from '../application/ports';
import { guardedIncrement, totalsOf } from './guarded-increment';
import { usageDailySchema, usageMonthlySchema } from './usage-totals.schemas';

/** Usage totals in collections usage_daily and usage_monthly; every query names its tenant. */
export class MongoUsageTotals implements UsageTotalsStore {
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

  private get dailyCollection(): mongo.Collection {
    return this.daily.collection as unknown as mongo.Collection;
  }

  private get monthlyCollection(): mongo.Collection {
    return this.monthly.collection as unknown as mongo.Collection;
  }
}
