import type { AuthEventLog } from '../../shared/application/auth-event-log';
import type { IdGenerator } from '../../shared/application/id-generator';
import type { TenantProfile } from '../../memberships/application/membership-store';
import { retentionCutoff, securityLogDays } from '../domain/retention-policy';
import { privacyStreams, type RetentionPurged } from '../domain/privacy-events';
import type { SecurityLogStore } from './subject-records';

export interface TenantRetentionSource {
  listProfiles(): Promise<Array<TenantProfile & { tenantId: string }>>;
}

export interface RetentionRun {
  purged: Array<{ tenantId: string; cutoffMs: number; recordsDeleted: number }>;
}

/**
 * Retention of `security_logs`: per tenant, login links (and their claims) older than the
 * tenant's retention.securityLogDays (default 90) are deleted — never a link that can still be
 * used — and each tenant where something went records RetentionPurged. (The consumer prunes its
 * own processed-event markers: @enclave/eventing's IdempotentConsumer.)
 */
export class SecurityLogRetention {
  constructor(
    private readonly tenants: TenantRetentionSource,
    private readonly logs: SecurityLogStore,
    private readonly events: AuthEventLog,
    private readonly ids: IdGenerator,
  ) {}

  async runOnce(nowMs: number): Promise<RetentionRun> {
    const profiles = new Map((await this.tenants.listProfiles()).map((p) => [p.tenantId, p]));
    const tenantIds = new Set([...profiles.keys(), ...(await this.logs.tenantsWithLinks())]);
    const purged: RetentionRun['purged'] = [];
    for (const tenantId of [...tenantIds].sort()) {
      const cutoffMs = retentionCutoff(nowMs, securityLogDays(profiles.get(tenantId)?.securityLogDays));
      const recordsDeleted = await this.logs.deleteBefore(tenantId, cutoffMs, nowMs);
      if (recordsDeleted === 0) continue;
      const event: RetentionPurged = { type: 'RetentionPurged', tenantId, subjectId: '', dataClass: 'security_logs', cutoffMs, recordsDeleted };
      await this.events.append(tenantId, privacyStreams.retentionRun(this.ids.next()), 0, [event], { kind: 'service', name: 'auth' });
      purged.push({ tenantId, cutoffMs, recordsDeleted });
    }
    return { purged };
  }
}
