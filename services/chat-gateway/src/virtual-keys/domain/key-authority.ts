// Whose virtual keys stop working when membership changes. A key acts with the authority of the
// owner or admin who created it (their privacy state applies to its traffic), so it ends when
// that authority ends: the creator is removed from the tenant, or their role drops below admin.
// An ownership transfer leaves the former owner an admin, so their keys stay.

export type MembershipFact =
  | { type: 'MemberRemoved'; subjectId: string }
  | { type: 'MemberRoleChanged'; subjectId: string; role: string };

const KEY_MANAGING_ROLES: readonly string[] = ['owner', 'admin'];

/** The person whose created keys must be revoked, or null. */
export function keysToRevokeFor(fact: MembershipFact): string | null {
  if (fact.type === 'MemberRemoved') return fact.subjectId;
  return KEY_MANAGING_ROLES.includes(fact.role) ? null : fact.subjectId;
}
