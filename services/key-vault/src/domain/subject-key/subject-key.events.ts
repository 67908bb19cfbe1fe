// Events about people (data subjects) and data protection, on the key-vault stream next to the
// secret events. None carries key material or personal data: subject ids are pseudonymous.

/** A per-subject data key was created (the first personal field sealed for this person). */
export interface SubjectKeyCreated {
  type: 'SubjectKeyCreated';
  tenantId: string;
  subjectId: string;
  keyId: string;
}

/** The per-subject key was destroyed: every field sealed with it is unreadable for good. */
export interface SubjectKeyShredded {
  type: 'SubjectKeyShredded';
  tenantId: string;
  subjectId: string;
  keyId: string;
  requestId: string;
}

/** Answer to audit's SubjectPurgeRequested: key-vault holds nothing more of the person. */
export interface SubjectDataPurged {
  type: 'SubjectDataPurged';
  tenantId: string;
  requestId: string;
  subjectId: string;
  recordsDeleted: number;
}

/** A retention job deleted data older than its period. */
export interface RetentionPurged {
  type: 'RetentionPurged';
  tenantId: string;
  dataClass: string;
  cutoffMs: number;
  recordsDeleted: number;
}

export type PrivacyEvent = SubjectKeyCreated | SubjectKeyShredded | SubjectDataPurged | RetentionPurged;

export const PRIVACY_EVENT_TYPES: ReadonlyArray<PrivacyEvent['type']> = ['SubjectKeyCreated', 'SubjectKeyShredded', 'SubjectDataPurged', 'RetentionPurged'];

export function isPrivacyEvent(event: { type: string }): event is PrivacyEvent {
  return (PRIVACY_EVENT_TYPES as readonly string[]).includes(event.type);
}
