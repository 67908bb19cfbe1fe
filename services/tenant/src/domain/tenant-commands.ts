import type { AssignableRole } from './tenant-role';
import type { TenantSettings } from './tenant-settings';

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

/** A partial change; absent fields keep their current value. */
export interface ChangeSettings {
  type: 'ChangeSettings';
  changes: Partial<TenantSettings>;
}

export type TenantCommand = CreateInstance | AddMember | RemoveMember | ChangeSettings;
