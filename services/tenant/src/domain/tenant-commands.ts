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

export interface AddMember {
  type: 'AddMember';
  subjectId: string;
  role: AssignableRole;
}

export interface RemoveMember {
  type: 'RemoveMember';
  subjectId: string;
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

export type TenantCommand = CreateInstance | AddMember | RemoveMember | ChangeSettings | PurgeMember;
