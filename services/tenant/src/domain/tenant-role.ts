// Roles a person can hold in a tenant. The owner is whoever created the instance; AddMember can
// only grant the other three.
export const TENANT_ROLES = ['owner', 'admin', 'member', 'auditor'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

export const ASSIGNABLE_ROLES = ['admin', 'member', 'auditor'] as const;
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

export function isTenantRole(value: string): value is TenantRole {
  return (TENANT_ROLES as readonly string[]).includes(value);
}
