// Billing's own events, consumed back from enclave.billing.events.v1: the reliable path that
// keeps the `quotas` read model and the Redis limit in step with the quota stream (the inline
// update after an append is only the fast path). Idempotent: the read model moves only forward
// by stream version, Redis gets the read model's current value, the exhaustion check is decided
// on the stream.
import type { TenantId } from '@enclave/eventing';
import { monthKey } from '../../usage/domain/periods';
import { totalTokens } from '../../usage/domain/usage-increment';
import type { UsageTotalsStore } from '../../usage/application/ports';
import type { QuotaEvent } from '../domain/quota-decider';
import type { CheckExhaustion } from './check-exhaustion';
import type { LimitCache, QuotaReadModel } from './ports';

export class ProjectQuotaEvent {
  constructor(
    private readonly readModel: QuotaReadModel,
    private readonly limits: LimitCache,
    private readonly totals: UsageTotalsStore,
    private readonly checkExhaustion: CheckExhaustion,
    private readonly clock: () => Date,
  ) {}

  async execute(tenant: TenantId, streamVersion: number, event: QuotaEvent): Promise<void> {
    switch (event.type) {
      case 'QuotaSet': {
        await this.readModel.project(tenant, streamVersion, event.monthlyTokenQuota);
        const current = await this.readModel.get(tenant);
        await this.limits.setLimit(tenant, current?.monthlyTokenQuota ?? null);
        // A quota lowered below this month's usage is exhausted at once.
        const month = monthKey(this.clock());
        await this.checkExhaustion.execute(tenant, month, totalTokens(await this.totals.monthTotals(tenant, month)));
        return;
      }
      case 'QuotaExhausted':
        return;
      default: {
        const unhandled: never = event;
        throw new Error(`unhandled quota event ${JSON.stringify(unhandled)}`);
      }
    }
  }
}
