// POST /v1/tenants/:tenantId/audit/verify: the whole log (chain and every signed checkpoint,
// streamed page by page, memory flat) or a range (its chain and the latest checkpoint). Each
// verification is recorded (AuditLogVerified).
import type { Actor, TenantId } from '@enclave/eventing';
import type { RecordTrailAccess } from '../../trail-events/application/record-trail-access';
import { verifyAll, type VerifyDeps } from './verify-all';
import { verifyRange } from './verify-range';
import type { Verification } from './verification';

export const VERIFY_PAGE_SIZE = 1000;

export class VerifyLog {
  constructor(
    private readonly deps: VerifyDeps,
    private readonly record: RecordTrailAccess,
  ) {}

  async execute(tenant: TenantId, actor: Actor, range?: { fromSeq: number; toSeq?: number }): Promise<Verification> {
    const result = range ? await verifyRange(this.deps, tenant, range) : await verifyAll(this.deps, tenant);
    await this.record.execute(
      tenant,
      {
        type: 'RecordVerification',
        intact: result.intact,
        entriesChecked: result.entriesChecked,
        ...(result.firstBroken && { firstBroken: result.firstBroken }),
        ...(result.range && { range: result.range }),
      },
      actor,
    );
    return result;
  }
}
