import { ForbiddenError } from '@enclave/platform';
import { decideActOn } from '@enclave/session';
import type { ActorRef } from '../../shared/application/actor';
import type { MembershipStore } from '../../memberships/application/membership-store';

/**
 * Before one person changes another's account: both are ranked by their CURRENT role in the
 * `memberships` projection (fed by tenant's MemberAdded / MemberRoleChanged / MemberRemoved),
 * not by the session's claim, with the platform's one rank rule. Services and the person
 * themself pass; an admin never reaches the owner's or another admin's account.
 */
export class AccountRankGuard {
  constructor(private readonly memberships: Pick<MembershipStore, 'findMember'>) {}

  async requireMayActOn(tenantId: string, actor: ActorRef, targetSubjectId: string): Promise<void> {
    if (actor.kind !== 'person' || actor.subjectId === targetSubjectId) return;
    const [by, target] = await Promise.all([
      this.memberships.findMember(tenantId, actor.subjectId),
      this.memberships.findMember(tenantId, targetSubjectId),
    ]);
    if (!by?.active) throw new ForbiddenError('you are not a member of this tenant');
    // A removed member keeps the rank they had; someone whose membership is not known yet is left alone.
    if (!target) throw new ForbiddenError("this person's role in the tenant is not known yet; retry shortly");
    const decision = decideActOn({ subjectId: actor.subjectId, role: by.role }, { subjectId: targetSubjectId, role: target.role });
    if (!decision.allowed) throw new ForbiddenError(decision.message);
  }
}
