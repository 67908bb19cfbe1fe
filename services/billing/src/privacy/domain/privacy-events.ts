// Billing's answers to privacy duties, recorded in its event store next to the quota events.
import type { QuotaEvent } from '../../quota/domain/quota-decider';

export type PrivacyEvent =
  /** Billing holds nothing more of the person (answer to audit's SubjectPurgeRequested). */
  | { type: 'SubjectDataPurged'; requestId: string; subjectId: string; recordsDeleted: number }
  /** The retention job deleted `dataClass` data older than cutoffMs. */
  | { type: 'RetentionPurged'; dataClass: string; cutoffMs: number; recordsDeleted: number };

/** Everything billing appends to its event store (payload of enclave.billing.events.v1). */
export type BillingEvent = QuotaEvent | PrivacyEvent;

export function isQuotaEvent(event: BillingEvent): event is QuotaEvent {
  return event.type === 'QuotaSet' || event.type === 'QuotaExhausted';
}

export const USAGE_DETAIL = 'usage_detail';

export function subjectPurgeStreamId(requestId: string): string {
  return `subject-purge:${requestId}`;
}

/** One stream per retention run and tenant: a run appends its one record at version 1. */
export function retentionStreamId(dataClass: string, tenant: string, runAtMs: number): string {
  return `retention:${dataClass}:${tenant}:${runAtMs}`;
}
