// Quota domain events ↔ the protobuf payload of enclave.billing.events.v1 (billingV1.BillingEvent).
import { billingV1 } from '@enclave/proto';
import type { QuotaEvent } from '../domain/quota-decider';

export const EVENT_TYPE_PREFIX = 'billing.';

export class QuotaEventDecodeError extends Error {
  override readonly name = 'QuotaEventDecodeError';
}

/** Envelope type of a domain event, e.g. "billing.QuotaSet". */
export function envelopeType(event: QuotaEvent): string {
  return `${EVENT_TYPE_PREFIX}${event.type}`;
}

export function toProto(event: QuotaEvent): billingV1.BillingEvent {
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
    default:
      return assertNever(event);
  }
}

export function fromProto(message: billingV1.BillingEvent): QuotaEvent {
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
    default:
      return assertNever(event);
  }
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
  return fromProto(message);
}

function assertNever(value: never): never {
  throw new QuotaEventDecodeError(`unhandled billing event: ${JSON.stringify(value)}`);
}
