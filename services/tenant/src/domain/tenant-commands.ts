import type { AssignableRole } from './tenant-role';
import type { RetentionSettings, TenantSettings } from './tenant-settings';

export interface CreateInstance {
  type: 'CreateInstance';
  tenantId: string;
  instanceName: string;
  ownerSubjectId: string;
  /** The platform's default model (from configuration), the instance's first default. */
  defaultModel: string;
}

/**
 * Commands one person gives about another person's membership carry `by`, the actor's subject
 * id: the decider ranks the actor by their CURRENT role in the tenant (a session's role claim
 * may be older than a demotion or removal).
 */
export interface AddMember {
  type: 'AddMember';
  subjectId: string;
  role: AssignableRole;
  by: string;
}

export interface RemoveMember {
  type: 'RemoveMember';
  subjectId: string;
  by: string;
}

/** Gives a member another role below the owner's (the owner's role changes only by transfer). */
export interface ChangeMemberRole {
  type: 'ChangeMemberRole';
  subjectId: string;
  role: AssignableRole;
  by: string;
}

/** The owner offers ownership to one of the tenant's admins; nothing changes until they accept. */
export interface ProposeOwnershipTransfer {
  type: 'ProposeOwnershipTransfer';
  toSubjectId: string;
  by: string;
}

/** The admin the owner named takes ownership; the former owner becomes an admin. */
export interface AcceptOwnershipTransfer {
  type: 'AcceptOwnershipTransfer';
  by: string;
}

/** The owner withdraws the offer, or the admin it names declines it. */
export interface CancelOwnershipTransfer {
  type: 'CancelOwnershipTransfer';
  by: string;
}

/** Absent fields keep their current value; retention periods may be changed one at a time. */
export type SettingsChanges = Partial<Omit<TenantSettings, 'retention'>> & { retention?: Partial<RetentionSettings> };

/** A partial change; absent fields keep their current value. */
export interface ChangeSettings {
  type: 'ChangeSettings';
  changes: SettingsChanges;
}

/**
 * The person's erasure reached tenant: they stop being a member, even when they own the instance
 * (the only way the owner leaves). Nothing happens for a non-member or an unknown tenant.
 */
export interface PurgeMember {
  type: 'PurgeMember';
  subjectId: string;
}

export type MembershipCommand =
  | AddMember
  | RemoveMember
  | ChangeMemberRole
  | ProposeOwnershipTransfer
  | AcceptOwnershipTransfer
  | CancelOwnershipTransfer;

export type TenantCommand = CreateInstance | MembershipCommand | ChangeSettings | PurgeMember;
