// Retention of per-member usage detail: each tenant's usage_daily rows older than its
// retention.usageDetailDays (default 365) are deleted, and each tenant with something deleted
// gets a RetentionPurged record (so every purge reaches the audit log). Tenant month totals are
// payment records and are not touched. Time comes from the caller: runOnce(now).
import type { TenantId } from '@enclave/eventing';
import { BILLING_ACTOR } from '../../quota/application/check-exhaustion';
import type { BillingLogger } from '../../quota/application/ports';
import { retentionStreamId, USAGE_DETAIL } from '../domain/privacy-events';
import { usageDetailCutoff, usageDetailDays } from '../domain/usage-detail-cutoff';
import type { PrivacyEventLog, TenantRetentionStore, UsageDetailStore } from './ports';

export interface RetentionRunResult {
  tenantId: TenantId;
  cutoffMs: number;
  recordsDeleted: number;
}

export class UsageDetailRetention {
  constructor(
    private readonly detail: UsageDetailStore,
    private readonly periods: TenantRetentionStore,
    private readonly log: PrivacyEventLog,
    private readonly logger: BillingLogger,
  ) {}

  /** One pass over every tenant holding detail; returns the tenants where rows were deleted. */
  async runOnce(now: Date): Promise<RetentionRunResult[]> {
    const purged: RetentionRunResult[] = [];
    for (const tenantId of await this.detail.tenantsWithDetail()) {
      const { cutoffDay, cutoffMs } = usageDetailCutoff(now.getTime(), usageDetailDays(await this.periods.usageDetailDays(tenantId)));
      const recordsDeleted = await this.detail.deleteBefore(tenantId, cutoffDay);
      if (recordsDeleted === 0) continue;
      await this.log.appendOnce(
        tenantId,
        retentionStreamId(USAGE_DETAIL, tenantId, now.getTime()),
        '',
        { type: 'RetentionPurged', dataClass: USAGE_DETAIL, cutoffMs, recordsDeleted },
        BILLING_ACTOR,
      );
      purged.push({ tenantId, cutoffMs, recordsDeleted });
    }
    if (purged.length > 0) this.logger.info({ tenants: purged.length }, 'usage detail past retention deleted');
    return purged;
  }
}
