import type { Connection, Model } from 'mongoose';
import { authV1 } from '@enclave/proto';
import { tenantId as checkedTenantId, type EventStore } from '@enclave/eventing';
import type { EmailChangeRepository } from '../../accounts/infrastructure/email-change.repository';
import type { LoginLinkRepository } from '../../login-links/infrastructure/login-link.repository';
import type { LoginLinkClaimDoc } from '../../login-links/infrastructure/login-link.schema';
import type { MembershipRepository } from '../../memberships/infrastructure/membership.repository';
import type { TenantProfileRepository } from '../../memberships/infrastructure/tenant-profile.repository';
import type { SessionRepository } from '../../sessions/infrastructure/session.repository';
import { SubjectRecordStore, type SubjectRecords } from '../application/subject-records';

export interface MongoSubjectRecordsDeps {
  connection: Connection;
  store: EventStore;
  links: LoginLinkRepository;
  claims: Model<LoginLinkClaimDoc>;
  memberships: MembershipRepository;
  tenants: TenantProfileRepository;
  emailChanges: EmailChangeRepository;
  sessions: SessionRepository;
}

type StoredSessionEvent = { payload: Uint8Array | { buffer: Uint8Array }; occurredAt: Date };

/** A person's rows in `memberships`, `login_links`, `login_link_claims`, `email_changes`, `auth_sessions`, and their sessions from `events`. */
export class MongoSubjectRecords extends SubjectRecordStore {
  constructor(private readonly deps: MongoSubjectRecordsDeps) {
    super();
  }

  async collect(tenantId: string, subjectId: string): Promise<SubjectRecords> {
    const tenant = checkedTenantId(tenantId);
    const member = await this.deps.memberships.findOne(tenant, { subjectId });
    const links = await this.deps.links.find(tenant, { subjectId }, { sort: { createdAt: 1 } });
    // Sessions are not stored apart from their SessionStarted events (the event log is kept).
    const started = await this.deps.connection
      .collection<StoredSessionEvent>(this.deps.store.collectionName)
      .find({ tenantId: tenant, subjectId, type: 'auth.SessionStarted' }, { sort: { occurredAt: 1 } })
      .toArray();
    return {
      membership: member ? { role: member.role, active: member.active, updatedAt: member.updatedAt } : null,
      loginLinks: links.map((l) => ({ purpose: l.purpose, createdAt: l.createdAt, expiresAt: l.expiresAt, usedAt: l.usedAt })),
      sessions: started.flatMap((e) => {
        const event = authV1.AuthEvent.decode(e.payload instanceof Uint8Array ? e.payload : e.payload.buffer).event;
        return event?.$case === 'sessionStarted' ? [{ sessionId: event.value.sessionId, role: event.value.role, startedAt: e.occurredAt }] : [];
      }),
    };
  }

  async deleteAll(tenantId: string, subjectId: string): Promise<number> {
    const tenant = checkedTenantId(tenantId);
    const links = await this.deps.links.find(tenant, { subjectId }, { projection: { _id: 1 } });
    const linkIds = links.map((l) => l._id);
    const claims = linkIds.length > 0 ? (await this.deps.claims.deleteMany({ tenantId: tenant, _id: { $in: linkIds } }).exec()).deletedCount : 0;
    const deletedLinks = await this.deps.links.deleteMany(tenant, { subjectId });
    const deletedMemberships = await this.deps.memberships.deleteMany(tenant, { subjectId });
    const deletedChanges = await this.deps.emailChanges.deleteOf(tenant, subjectId);
    const deletedSessions = await this.deps.sessions.deleteOf(tenant, subjectId);
    await this.deps.tenants.forgetOwner(tenantId, subjectId);
    return claims + deletedLinks + deletedMemberships + deletedChanges + deletedSessions;
  }
}
