import { ForbiddenError } from '@enclave/platform';
import { decideActOn, type Role } from '@enclave/session';
import type { TenantId } from '@enclave/eventing';
import type { MemberRoles } from './ports';

/** Who is asking, as their session says (the role is checked again against the tenant). */
export interface Requester {
  subjectId: string;
  role: Role;
}

/**
 * May this person open, cancel or lift a data-subject request for `subjectId`, or pull their
 * export? The person themself always; otherwise an owner or admin who outranks them, both
 * ranked by their CURRENT role in the tenant (the one rank rule of @enclave/session): an admin
 * never opens an erasure for the owner or another admin. Someone who is no longer a member has
 * no rank. A tenant that cannot be asked fails the request (503), never opens it unchecked.
 */
export class ActingFor {
  constructor(private readonly roles: MemberRoles) {}

  async require(tenant: TenantId, requester: Requester, subjectId: string): Promise<void> {
    if (requester.subjectId === subjectId) return;
    if (requester.role !== 'owner' && requester.role !== 'admin') throw new ForbiddenError('only the person or an owner or admin may do this');
    const roles = await this.roles.rolesOf(tenant, [requester.subjectId, subjectId]);
    const actorRole = roles.get(requester.subjectId);
    if (actorRole === undefined) throw new ForbiddenError('you are not a member of this tenant');
    const decision = decideActOn({ subjectId: requester.subjectId, role: actorRole }, { subjectId, role: roles.get(subjectId) ?? 'member' });
    if (!decision.allowed) throw new ForbiddenError(decision.message);
  }
}
