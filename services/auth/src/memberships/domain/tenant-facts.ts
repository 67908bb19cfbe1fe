import type { Role } from '../../shared/roles';
import { assertNever } from '../../shared/assert-never';

// What auth learns from the tenant service, and how each fact changes auth's two read models:
// `tenants` (instance name and owner, for mail) and `memberships` (who may log in, as what).

export type TenantFact =
  | { type: 'InstanceCreated'; instanceName: string; ownerSubjectId: string }
  | { type: 'MemberAdded'; subjectId: string; role: Role }
  | { type: 'MemberRemoved'; subjectId: string }
  | { type: 'MemberRoleChanged'; subjectId: string; role: Role }
  | { type: 'OwnershipTransferred'; fromSubjectId: string; toSubjectId: string }
  | { type: 'SettingsChanged'; instanceName: string; securityLogDays?: number };

export type ProjectionUpdate =
  | { target: 'tenant'; instanceName?: string; ownerSubjectId?: string; securityLogDays?: number }
  | { target: 'membership'; subjectId: string; role?: Role; active: boolean };

/** Whose sessions the fact ends (removed) or makes refresh (role changed), after the projection is updated. */
export interface SessionChange {
  subjectId: string;
  change: 'removed' | 'role_changed';
}

export interface FactOutcome {
  update: ProjectionUpdate;
  /** Set when the fact calls for an invitation mail to the new member. */
  invite?: { subjectId: string; role: Role };
  sessions?: SessionChange[];
}

export function outcomeOf(fact: TenantFact): FactOutcome {
  switch (fact.type) {
    case 'InstanceCreated':
      return { update: { target: 'tenant', instanceName: fact.instanceName, ownerSubjectId: fact.ownerSubjectId } };
    case 'SettingsChanged':
      return {
        update: { target: 'tenant', instanceName: fact.instanceName, ...(fact.securityLogDays !== undefined && { securityLogDays: fact.securityLogDays }) },
      };
    case 'MemberAdded':
      return {
        update: { target: 'membership', subjectId: fact.subjectId, role: fact.role, active: true },
        invite: { subjectId: fact.subjectId, role: fact.role },
      };
    case 'MemberRemoved':
      return {
        update: { target: 'membership', subjectId: fact.subjectId, active: false },
        sessions: [{ subjectId: fact.subjectId, change: 'removed' }],
      };
    case 'MemberRoleChanged':
      // Tokens with the old role are refused at once; the next refresh carries the new role.
      return {
        update: { target: 'membership', subjectId: fact.subjectId, role: fact.role, active: true },
        sessions: [{ subjectId: fact.subjectId, change: 'role_changed' }],
      };
    case 'OwnershipTransferred':
      // Tenant records the two people's new roles as MemberRoleChanged; their owner claims end here too.
      return {
        update: { target: 'tenant', ownerSubjectId: fact.toSubjectId },
        sessions: [
          { subjectId: fact.fromSubjectId, change: 'role_changed' },
          { subjectId: fact.toSubjectId, change: 'role_changed' },
        ],
      };
    default:
      return assertNever(fact);
  }
}
