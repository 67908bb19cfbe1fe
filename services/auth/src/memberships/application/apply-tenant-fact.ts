import { outcomeOf, type TenantFact } from '../domain/tenant-facts';
import type { ActorRef } from '../../shared/application/actor';
import type { SendInvitation } from '../../login-links/application/send-invitation';
import type { RevokeSessions } from '../../sessions/application/revoke-sessions';
import { MembershipStore, TenantDirectory, type SourcePosition } from './membership-store';

export interface TenantFactSource extends SourcePosition {
  tenantId: string;
  /** The tenant event's id; an invitation is keyed by it so redelivery cannot send it twice. */
  eventId: string;
  /** Who caused the tenant event (e.g. the admin who added the member). */
  actor: ActorRef;
  /** When tenant recorded it (a replayed old change ends no session: see RevokeSessions). */
  occurredAtMs: number;
}

/** Projects one tenant event into `tenants` / `memberships`, ends or refreshes the sessions it affects, then sends any invitation it calls for. */
export class ApplyTenantFact {
  constructor(
    private readonly tenants: TenantDirectory,
    private readonly memberships: MembershipStore,
    private readonly invitations: SendInvitation,
    private readonly sessions: RevokeSessions,
  ) {}

  async execute(fact: TenantFact, source: TenantFactSource): Promise<void> {
    const outcome = outcomeOf(fact);
    const { update, invite } = outcome;
    const position = { version: source.version };
    if (update.target === 'tenant') await this.tenants.apply(source.tenantId, update, position);
    else await this.memberships.apply(source.tenantId, update, position);
    // After the projection: a refresh from now on sees the new membership.
    for (const { subjectId, change } of outcome.sessions ?? []) {
      await this.sessions.membershipChanged(source.tenantId, subjectId, change, { eventId: source.eventId, occurredAtMs: source.occurredAtMs }, source.actor);
    }
    if (invite) {
      await this.invitations.execute({ tenantId: source.tenantId, invitationId: source.eventId, subjectId: invite.subjectId, actor: source.actor });
    }
  }
}
