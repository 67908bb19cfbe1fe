// What auth records when it erases a person's data or a retention period runs out. Neither
// event carries personal data: the person appears by their pseudonymous subject id only.

/** Answer to audit's SubjectPurgeRequested: auth holds nothing more of the person. */
export interface SubjectDataPurged {
  type: 'SubjectDataPurged';
  tenantId: string;
  requestId: string;
  subjectId: string;
  recordsDeleted: number;
}

/** A retention run deleted records of one data class older than cutoffMs in one tenant. */
export interface RetentionPurged {
  type: 'RetentionPurged';
  tenantId: string;
  dataClass: RetentionDataClass;
  cutoffMs: number;
  recordsDeleted: number;
  /** Retention is about no one in particular. */
  subjectId: '';
}

export type RetentionDataClass = 'security_logs';

/** Answer to audit's BreachIncidentRecorded: the tenant's active owners and admins were mailed (how many, not who). */
export interface BreachNotificationSent {
  type: 'BreachNotificationSent';
  tenantId: string;
  incidentId: string;
  recipients: number;
  /** About no one in particular. */
  subjectId: '';
}

export type PrivacyEvent = SubjectDataPurged | RetentionPurged | BreachNotificationSent;

export const privacyStreams = {
  /** One confirmation per purge request: appended at version 0, so a redelivery cannot repeat it. */
  subjectPurge: (requestId: string) => `subject-purge-${requestId}`,
  retentionRun: (runId: string) => `retention-${runId}`,
  /** One notice per incident: appended at version 0 after the mails, so a redelivery finds it and mails no one. */
  breachNotice: (incidentId: string) => `breach-notice-${incidentId}`,
};
