// POST /v1/tenants/:tenantId/audit/verify: walks the tenant's whole chain page by page (memory
// stays flat however long the log is) and records the verification (AuditLogVerified).
import type { Actor, TenantId } from '@enclave/eventing';
import type { RecordTrailAccess } from '../../trail-events/application/record-trail-access';
import type { AuditEntry } from '../domain/audit-entry';
import { verifyChain, type VerifyResult } from '../domain/verify-chain';
import type { AuditLogStore } from './ports';

export const VERIFY_PAGE_SIZE = 1000;

export class VerifyLog {
  constructor(
    private readonly store: AuditLogStore,
    private readonly record: RecordTrailAccess,
    private readonly pageSize = VERIFY_PAGE_SIZE,
  ) {}

  async execute(tenant: TenantId, actor: Actor): Promise<VerifyResult> {
    const result = await verifyChain(this.entries(tenant));
    await this.record.execute(
      tenant,
      result.intact
        ? { type: 'RecordVerification', intact: true, entriesChecked: result.entriesChecked }
        : { type: 'RecordVerification', intact: false, entriesChecked: result.entriesChecked, firstBroken: result.firstBroken },
      actor,
    );
    return result;
  }

  /** The chain in seq order, read in pages by seq cursor (never skip/offset). */
  private async *entries(tenant: string): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const page = await this.store.page(tenant, after, this.pageSize);
      yield* page;
      if (page.length < this.pageSize) return;
      after = page.at(-1)!.seq;
    }
  }
}
