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

/** Tenant holds nothing more of the person (answer to audit's SubjectPurgeRequested). */
export interface SubjectDataPurged {
  type: 'SubjectDataPurged';
  requestId: string;
  subjectId: string;
  recordsDeleted: number;
}

/** A retention job deleted data of `dataClass` older than cutoffMs. */
export interface RetentionPurged {
  type: 'RetentionPurged';
  dataClass: string;
  cutoffMs: number;
  recordsDeleted: number;
}

export type TenantEvent = InstanceCreated | MemberAdded | MemberRemoved | SettingsChanged | SubjectDataPurged | RetentionPurged;
export type TenantEventType = TenantEvent['type'];
