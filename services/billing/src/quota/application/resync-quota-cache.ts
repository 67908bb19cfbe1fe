// Redis is a disposable copy: at start, billing writes every tenant's limit and this month's
// usage from Mongo. Usage is raised to at least Mongo's total, never lowered, so a re-sync that
// races another replica's INCRBY cannot lose that increment.
import { monthKey } from '../../usage/domain/periods';
import { totalTokens } from '../../usage/domain/usage-increment';
import type { UsageCache, UsageTotalsStore } from '../../usage/application/ports';
import type { LimitCache, QuotaReadModel } from './ports';

export class ResyncQuotaCache {
  constructor(
    private readonly readModel: QuotaReadModel,
    private readonly totals: UsageTotalsStore,
    private readonly cache: LimitCache & UsageCache,
    private readonly clock: () => Date,
  ) {}

  async execute(): Promise<{ limits: number; usage: number }> {
    let limits = 0;
    for await (const quota of this.readModel.all()) {
      await this.cache.setLimit(quota.tenantId, quota.monthlyTokenQuota);
      limits += 1;
    }
    const month = monthKey(this.clock());
    let usage = 0;
    for await (const { tenantId, totals } of this.totals.allTenantsOfMonth(month)) {
      await this.cache.raiseUsage(tenantId, month, totalTokens(totals));
      usage += 1;
    }
    return { limits, usage };
  }

}
