// The privacy facts audit records on its own topic (auditV1.AuditEvent cases), as plain data.
export const CONSENT_PURPOSES = ['message_logging_notice', 'marketing_email', 'public_sharing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const REQUEST_KINDS = ['access', 'rectification', 'restriction', 'objection', 'erasure'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export type RequestOutcome = 'fulfilled' | 'cancelled' | 'rejected';

/** The services that hold data about people: each must confirm a purge before the person counts as erased. */
export const DATA_SERVICES = ['auth', 'billing', 'chat-gateway', 'key-vault', 'tenant'] as const;
export type DataService = (typeof DATA_SERVICES)[number];

export const DAY_MS = 86_400_000;
/** The legal deadline of a data-subject request: opened + 30 days. */
export const REQUEST_DUE_DAYS = 30;

export const BREACH_SEVERITIES = ['low', 'high'] as const;
export type BreachSeverity = (typeof BREACH_SEVERITIES)[number];

/** A personal-data breach of the tenant, in its own stream. No description: that stays out of events. */
export type BreachEvent =
  | { type: 'BreachIncidentRecorded'; incidentId: string; detectedAtMs: number; notifyByMs: number; severity: BreachSeverity; affectedSubjectCount: number }
  | { type: 'BreachIncidentResolved'; incidentId: string };

export type PrivacyEvent =
  | BreachEvent
  | { type: 'ConsentGranted'; subjectId: string; purpose: string; textVersion: string }
  | { type: 'ConsentWithdrawn'; subjectId: string; purpose: string; textVersion: string }
  | { type: 'DataSubjectRequestOpened'; requestId: string; subjectId: string; kind: RequestKind; dueAtMs: number }
  | { type: 'DataSubjectRequestCompleted'; requestId: string; subjectId: string; kind: RequestKind; outcome: RequestOutcome }
  | { type: 'ProcessingRestricted'; subjectId: string; requestId: string; kind: 'restriction' | 'objection' }
  | { type: 'ProcessingRestrictionLifted'; subjectId: string }
  | { type: 'ErasureRequested'; requestId: string; subjectId: string; graceEndsAtMs: number }
  | { type: 'ErasureCancelled'; requestId: string; subjectId: string }
  | { type: 'SubjectPurgeRequested'; requestId: string; subjectId: string }
  | { type: 'SubjectErased'; requestId: string; subjectId: string; confirmedBy: string[]; requestedAtMs: number; completedAtMs: number }
  | {
      type: 'SubjectDataExported';
      requestId: string;
      subjectId: string;
      services: string[];
      documentSha256: string;
      /** An export pulled on the person's behalf: why, and how many messages it carried. */
      onBehalf?: { reason: string; messagesReturned: number };
    };

/** An event with the time it was recorded (the event store's occurredAt). */
export interface Recorded<E = PrivacyEvent> {
  event: E;
  atMs: number;
}

export const isRequestKind = (value: string): value is RequestKind => (REQUEST_KINDS as readonly string[]).includes(value);

/** A request refused by the rules (the application answers 409). */
export class RequestRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestRefused';
  }
}
