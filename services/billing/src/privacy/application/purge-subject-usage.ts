// Audit's SubjectPurgeRequested reached billing: the person's per-member usage detail goes
// (usage_daily rows). Tenant month totals stay: they are payment records (kept 7 years) and name
// no one; so do the Redis keys, which hold only a tenant's limit and month counter. Then
// SubjectDataPurged is appended once per request; a redelivery deletes nothing more and finds
// the confirmation already there.
import type { TenantId } from '@enclave/eventing';
import { BILLING_ACTOR } from '../../quota/application/check-exhaustion';
import { subjectPurgeStreamId } from '../domain/privacy-events';
import type { PrivacyEventLog, UsageDetailStore } from './ports';

export class PurgeSubjectUsage {
  constructor(
    private readonly detail: UsageDetailStore,
    private readonly log: PrivacyEventLog,
  ) {}

  async execute(input: { tenantId: TenantId; requestId: string; subjectId: string }): Promise<{ confirmed: boolean; recordsDeleted: number }> {
    const { tenantId, requestId, subjectId } = input;
    const recordsDeleted = await this.detail.deleteMember(tenantId, subjectId);
    const confirmed = await this.log.appendOnce(
      tenantId,
      subjectPurgeStreamId(requestId),
      subjectId,
      { type: 'SubjectDataPurged', requestId, subjectId, recordsDeleted },
      BILLING_ACTOR,
    );
    return { confirmed, recordsDeleted };
  }
}
