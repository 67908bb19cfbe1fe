// Billing's events (quota and privacy) ↔ the protobuf payload of enclave.billing.events.v1
// (billingV1.BillingEvent).
import { billingV1 } from '@enclave/proto';
import type { QuotaEvent } from '../domain/quota-decider';
import { isQuotaEvent, type BillingEvent } from '../../privacy/domain/privacy-events';

export const EVENT_TYPE_PREFIX = 'billing.';

export class QuotaEventDecodeError extends Error {
  override readonly name = 'QuotaEventDecodeError';
}

/** Envelope type of a domain event, e.g. "billing.QuotaSet". */
export function envelopeType(event: BillingEvent): string {
  return `${EVENT_TYPE_PREFIX}${event.type}`;
}

export function toProto(event: BillingEvent): billingV1.BillingEvent {
  switch (event.type) {
    case 'QuotaSet':
      return {
        event: {
          $case: 'quotaSet',
          value: { monthlyTokenQuota: event.monthlyTokenQuota ?? 0, unlimited: event.monthlyTokenQuota === null },
        },
      };
    case 'QuotaExhausted':
      return {
        event: {
          $case: 'quotaExhausted',
          value: { month: event.month, tokensUsed: event.tokensUsed, monthlyTokenQuota: event.monthlyTokenQuota },
        },
      };
    case 'SubjectDataPurged':
      return {
        event: {
          $case: 'subjectDataPurged',
          value: { requestId: event.requestId, subjectId: event.subjectId, recordsDeleted: event.recordsDeleted },
        },
      };
    case 'RetentionPurged':
      return {
        event: {
          $case: 'retentionPurged',
          value: { dataClass: event.dataClass, cutoffMs: event.cutoffMs, recordsDeleted: event.recordsDeleted },
        },
      };
    default:
      return assertNever(event);
  }
}

export function fromProto(message: billingV1.BillingEvent): BillingEvent {
  const event = message.event;
  if (!event) throw new QuotaEventDecodeError('billing event has no payload');
  switch (event.$case) {
    case 'quotaSet':
      return { type: 'QuotaSet', monthlyTokenQuota: event.value.unlimited ? null : event.value.monthlyTokenQuota };
    case 'quotaExhausted':
      return {
        type: 'QuotaExhausted',
        month: event.value.month,
        tokensUsed: event.value.tokensUsed,
        monthlyTokenQuota: event.value.monthlyTokenQuota,
      };
    case 'subjectDataPurged':
      return {
        type: 'SubjectDataPurged',
        requestId: event.value.requestId,
        subjectId: event.value.subjectId,
        recordsDeleted: event.value.recordsDeleted,
      };
    case 'retentionPurged':
      return { type: 'RetentionPurged', dataClass: event.value.dataClass, cutoffMs: event.value.cutoffMs, recordsDeleted: event.value.recordsDeleted };
    default:
      return assertNever(event);
  }
}

export function encodeBillingEvent(event: BillingEvent): Uint8Array {
  return billingV1.BillingEvent.encode(toProto(event)).finish();
}

export function encodeQuotaEvent(event: QuotaEvent): Uint8Array {
  return billingV1.BillingEvent.encode(toProto(event)).finish();
}

export function decodeQuotaEvent(bytes: Uint8Array): QuotaEvent {
  let message: billingV1.BillingEvent;
  try {
    message = billingV1.BillingEvent.decode(bytes);
  } catch {
    throw new QuotaEventDecodeError('payload is not a billing.v1.BillingEvent');
  }
  const event = fromProto(message);
  // The quota streams hold quota events only; privacy events live on streams of their own.
  if (!isQuotaEvent(event)) throw new QuotaEventDecodeError(`${event.type} is not a quota event`);
  return event;
}

function assertNever(value: never): never {
  throw new QuotaEventDecodeError(`unhandled billing event: ${JSON.stringify(value)}`);
}
