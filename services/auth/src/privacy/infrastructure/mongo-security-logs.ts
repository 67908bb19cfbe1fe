import type { Model } from 'mongoose';
import { tenantId as checkedTenantId } from '@enclave/eventing';
import type { EmailChangeRepository } from '../../accounts/infrastructure/email-change.repository';
import type { LoginLinkRepository } from '../../login-links/infrastructure/login-link.repository';
import type { LoginLinkClaimDoc, LoginLinkDoc } from '../../login-links/infrastructure/login-link.schema';
import type { SessionRepository } from '../../sessions/infrastructure/session.repository';
import { SecurityLogStore } from '../application/subject-records';

/** Retention deletes on `login_links`, `login_link_claims`, long-expired `email_changes`, ended `auth_sessions` and `auth_refresh_claims`. */
export class MongoSecurityLogs extends SecurityLogStore {
  constructor(
    private readonly links: LoginLinkRepository,
    private readonly linkModel: Model<LoginLinkDoc>,
    private readonly claims: Model<LoginLinkClaimDoc>,
    private readonly emailChanges: EmailChangeRepository,
    private readonly sessions: SessionRepository,
  ) {
    super();
  }

  async tenantsWithLinks(): Promise<string[]> {
    // Across tenants on purpose: the job visits each one, and reads nothing but their ids.
    const groups = await this.linkModel.aggregate<{ _id: string }>([{ $group: { _id: '$tenantId' } }]).exec();
    return groups.map((g) => g._id);
  }

  async deleteBefore(tenantId: string, cutoffMs: number, nowMs: number): Promise<number> {
    const tenant = checkedTenantId(tenantId);
    const cutoff = new Date(cutoffMs);
    // Old enough and no longer usable: a link still valid at nowMs is kept whatever its age.
    const links = await this.links.deleteMany(tenant, { createdAt: { $lt: cutoff }, expiresAt: { $lte: new Date(nowMs) } });
    const claims = (await this.claims.deleteMany({ tenantId: tenant, claimedAt: { $lt: cutoff } }).exec()).deletedCount;
    const changes = await this.emailChanges.deleteExpiredBefore(tenant, cutoffMs);
    const sessions = await this.sessions.deleteEndedBefore(tenant, cutoffMs);
    return links + claims + changes + sessions;
  }
}
