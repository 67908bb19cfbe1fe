import type { TenantId } from '@enclave/eventing';
import type { QuotaReadModel } from '../../quota/application/ports';
import { quotaStatus, type QuotaStatus } from '../../quota/domain/quota-status';
import { monthKey } from '../domain/periods';
import { totalTokens } from '../domain/usage-increment';
import type { Totals, UsageTotalsStore } from './ports';

type WithTotal<T> = T & { totalTokens: number };

export interface UsageReport {
  month: string;
  totals: WithTotal<Totals>;
  byMember: Array<WithTotal<Totals & { memberSubjectId: string }>>;
  byModel: Array<WithTotal<Totals & { model: string }>>;
  byDay: Array<WithTotal<Totals & { day: string }>>;
  quota: QuotaStatus;
}

/** GET /v1/tenants/:tenantId/usage: one month's totals, breakdowns and quota position. */
export class GetUsageReport {
  constructor(
    private readonly totals: UsageTotalsStore,
    private readonly quotas: QuotaReadModel,
    private readonly clock: () => Date,
  ) {}

  async execute(tenant: TenantId, month: string = monthKey(this.clock())): Promise<UsageReport> {
    const [totals, breakdown, quota] = await Promise.all([
      this.totals.monthTotals(tenant, month),
      this.totals.monthBreakdown(tenant, month),
      this.quotas.get(tenant),
    ]);
    const used = totalTokens(totals);
    return {
      month,
      totals: withTotal(totals),
      byMember: breakdown.byMember.map(withTotal),
      byModel: breakdown.byModel.map(withTotal),
      byDay: breakdown.byDay.map(withTotal),
      quota: quotaStatus(quota?.monthlyTokenQuota ?? null, used),
    };
  }
}

function withTotal<T extends Totals>(row: T): WithTotal<T> {
  return { ...row, totalTokens: totalTokens(row) };
}
