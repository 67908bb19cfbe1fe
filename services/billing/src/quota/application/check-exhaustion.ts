// Raises QuotaExhausted the first time a month's usage reaches the tenant's quota. The read
// model answers the common case (not exhausted) without loading the stream; the decider, on the
// stream, makes sure the event is raised once even when deliveries race or repeat.
import type { TenantId } from '@enclave/eventing';
import { eventsV1 } from '@enclave/proto';
import { isExhausted } from '../domain/quota-status';
import type { QuotaReadModel } from './ports';
import type { RunQuotaCommand } from './run-quota-command';

export const BILLING_ACTOR: eventsV1.Actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'billing', role: '' };

export class CheckExhaustion {
  constructor(
    private readonly readModel: QuotaReadModel,
    private readonly run: RunQuotaCommand,
  ) {}

  async execute(tenant: TenantId, month: string, tokensUsed: number): Promise<void> {
    const quota = await this.readModel.get(tenant);
    if (!quota || !isExhausted(quota.monthlyTokenQuota, tokensUsed)) return;
    await this.run.execute(tenant, { type: 'CheckMonthlyUsage', month, tokensUsed }, BILLING_ACTOR);
  }
}
