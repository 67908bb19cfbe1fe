import { decideActOn, type Role } from '@enclave/session';

// Whose conversations may this reader open? Ranked by the roles both people hold NOW (tenant's
// member directory), not by the session's role claim, which may predate a demotion: nobody reads
// an account of equal or higher rank, so only the owner reads an admin's chats and nobody the
// owner's. Someone no longer an active member is ranked like an admin: only the owner reads them.

export interface ReadRankInput {
  readerSubjectId: string;
  /** The reader's current role; undefined when they are no longer an active member. */
  readerRole: Role | undefined;
  memberSubjectId: string;
  /** The member's current role; undefined when they are no longer an active member. */
  memberRole: Role | undefined;
}

export type ReadRankDecision =
  | { allowed: true }
  | { allowed: false; error: 'forbidden' | 'rank_too_low'; message: string };

export function decideReadRank(input: ReadRankInput): ReadRankDecision {
  if (input.readerRole !== 'owner' && input.readerRole !== 'admin') {
    return { allowed: false, error: 'forbidden', message: "only current owners and admins may read members' conversations" };
  }
  const ranked = decideActOn(
    { subjectId: input.readerSubjectId, role: input.readerRole },
    { subjectId: input.memberSubjectId, role: input.memberRole ?? 'admin' },
  );
  if (ranked.allowed) return ranked;
  const message = input.memberRole === 'owner'
    ? "nobody but the owner may read the owner's conversations"
    : 'an admin may not read the conversations of an account of equal or higher rank';
  return { allowed: false, error: 'rank_too_low', message };
}
