import type { Role } from './session-claims';

// The role hierarchy inside one tenant: owner > admin > auditor = member. Every service that
// lets one person act on another person's account or membership asks this one function, so the
// rule cannot drift between them. Both roles must come from the service's own current data
// (a session's role claim may be older than a demotion).

const RANK: Readonly<Record<Role, number>> = { owner: 3, admin: 2, auditor: 1, member: 1 };

export function roleRank(role: Role): number {
  return RANK[role];
}

/** A person in the tenant as the deciding service knows them now. */
export interface RankedPerson {
  subjectId: string;
  role: Role;
}

export type RankDecision = { allowed: true } | { allowed: false; error: 'rank_too_low'; message: string };

/**
 * May `actor` act on `target`'s account or membership (rectify it, change its role, remove it,
 * open a data-subject request for it)? A person may always act on themself; otherwise only on
 * someone of strictly lower rank: the owner on admins, auditors and members, an admin on
 * auditors and members. Nobody but the owner acts on the owner's account.
 */
export function decideActOn(actor: RankedPerson, target: RankedPerson): RankDecision {
  if (actor.subjectId === target.subjectId) return { allowed: true };
  if (roleRank(actor.role) > roleRank(target.role)) return { allowed: true };
  const message =
    target.role === 'owner'
      ? "nobody but the owner may act on the owner's account"
      : `a${actor.role === 'admin' || actor.role === 'auditor' ? 'n' : ''} ${actor.role} may not act on an account of equal or higher rank`;
  return { allowed: false, error: 'rank_too_low', message };
}

/**
 * May `actor` give someone `role` (add them with it, or change them to it)? Only roles strictly
 * below the actor's own, and never owner: ownership changes hands only by an accepted transfer.
 */
export function mayGrant(actorRole: Role, role: Role): boolean {
  return role !== 'owner' && roleRank(actorRole) > roleRank(role);
}
