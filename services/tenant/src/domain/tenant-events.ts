import type { TenantRole } from './tenant-role';
import type { TenantSettings } from './tenant-settings';

// Facts about a tenant, past tense. People appear only by pseudonymous subject id.
export interface InstanceCreated {
  type: 'InstanceCreated';
  instanceName: string;
  ownerSubjectId: string;
}

export interface MemberAdded {
  type: 'MemberAdded';
  subjectId: string;
  role: TenantRole;
}

export interface MemberRemoved {
  type: 'MemberRemoved';
  subjectId: string;
}

/** Carries the full settings after the change, so consumers replace their copy. */
export interface SettingsChanged {
  type: 'SettingsChanged';
  settings: TenantSettings;
}

export type TenantEvent = InstanceCreated | MemberAdded | MemberRemoved | SettingsChanged;
export type TenantEventType = TenantEvent['type'];
