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

/** A member's role changed (by an admin or the owner, or by an ownership transfer). */
export interface MemberRoleChanged {
  type: 'MemberRoleChanged';
  subjectId: string;
  role: TenantRole;
}

/** The owner offered ownership to an admin; an open offer replaces none silently (see Cancelled). */
export interface OwnershipTransferProposed {
  type: 'OwnershipTransferProposed';
  fromSubjectId: string;
  toSubjectId: string;
}

/** An open offer ended unaccepted: withdrawn, declined, or replaced by an offer to someone else. */
export interface OwnershipTransferCancelled {
  type: 'OwnershipTransferCancelled';
  fromSubjectId: string;
  toSubjectId: string;
}

/**
 * The named admin accepted: from here on they own the instance. Always followed, in the same
 * append, by MemberRoleChanged(to → owner) and MemberRoleChanged(from → admin).
 */
export interface OwnershipTransferred {
  type: 'OwnershipTransferred';
  fromSubjectId: string;
  toSubjectId: string;
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

export type TenantEvent =
  | InstanceCreated
  | MemberAdded
  | MemberRemoved
  | MemberRoleChanged
  | OwnershipTransferProposed
  | OwnershipTransferCancelled
  | OwnershipTransferred
  | SettingsChanged
  | SubjectDataPurged
  | RetentionPurged;
export type TenantEventType = TenantEvent['type'];
