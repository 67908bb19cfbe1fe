// Trail access events ↔ the protobuf payload of enclave.audit.events.v1 (auditV1.AuditEvent).
import { auditV1 } from '@enclave/proto';
import type { TrailAccessEvent } from '../domain/trail-access';

export function envelopeType(event: TrailAccessEvent): string {
  return `audit.${event.type}`;
}

export function toProto(event: TrailAccessEvent): auditV1.AuditEvent {
  switch (event.type) {
    case 'AuditTrailQueried':
      return { event: { $case: 'auditTrailQueried', value: { filterSummary: event.filterSummary, resultCount: event.resultCount } } };
    case 'AuditLogVerified':
      return {
        event: {
          $case: 'auditLogVerified',
          value: { intact: event.intact, entriesChecked: event.entriesChecked, firstBrokenSeq: event.firstBrokenSeq },
        },
      };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled trail access event ${JSON.stringify(unhandled)}`);
    }
  }
}

export function encodeTrailEvent(event: TrailAccessEvent): Uint8Array {
  return auditV1.AuditEvent.encode(toProto(event)).finish();
}
