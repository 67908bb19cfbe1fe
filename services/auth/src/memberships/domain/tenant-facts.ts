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

export interface FactOutcome {
  update: ProjectionUpdate;
  /** Set when the fact calls for an invitation mail to the new member. */
  invite?: { subjectId: string; role: Role };
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
      return { update: { target: 'membership', subjectId: fact.subjectId, active: false } };
    case 'MemberRoleChanged':
      // The next session the person starts carries the new role.
      return { update: { target: 'membership', subjectId: fact.subjectId, role: fact.role, active: true } };
    case 'OwnershipTransferred':
      return { update: { target: 'tenant', ownerSubjectId: fact.toSubjectId } };
    default:
      return assertNever(fact);
  }
}
