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
    case 'AuditLogVerified': {
      const { intact, entriesChecked, firstBrokenSeq, fromSeq, toSeq } = event;
      return { event: { $case: 'auditLogVerified', value: { intact, entriesChecked, firstBrokenSeq, fromSeq, toSeq } } };
    }
    case 'AuditCheckpointSigned': {
      const { treeSize, rootHash, keyId, issuedAtMs } = event;
      return { event: { $case: 'auditCheckpointSigned', value: { treeSize, rootHash, keyId, issuedAtMs } } };
    }
    case 'AuditExported': {
      const { fromSeq, toSeq, checkpointTreeSize } = event;
      return { event: { $case: 'auditExported', value: { fromSeq, toSeq, checkpointTreeSize } } };
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled trail access event ${JSON.stringify(unhandled)}`);
    }
  }
}

export function encodeTrailEvent(event: TrailAccessEvent): Uint8Array {
  return auditV1.AuditEvent.encode(toProto(event)).finish();
}
