import type { TenantId } from '@enclave/eventing';
import type { MonthlyTokenQuota } from '../domain/quota-status';
import { BILLING_ACTOR } from './check-exhaustion';
import type { RunQuotaCommand } from './run-quota-command';

/** tenant.InstanceCreated: the new tenant gets DEFAULT_MONTHLY_TOKEN_QUOTA unless a quota was set. */
export class ApplyDefaultQuota {
  constructor(
    private readonly run: RunQuotaCommand,
    private readonly defaultQuota: MonthlyTokenQuota,
  ) {}

  async execute(tenant: TenantId): Promise<void> {
    await this.run.execute(tenant, { type: 'ApplyDefaultQuota', monthlyTokenQuota: this.defaultQuota }, BILLING_ACTOR);
  }
}
