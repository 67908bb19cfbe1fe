// Privacy events ↔ the protobuf payload of enclave.audit.events.v1 (auditV1.AuditEvent). The
// envelope type is `audit.<EventName>`, as for the trail-access events.
import { auditV1 } from '@enclave/proto';
import { BREACH_SEVERITIES, isRequestKind, type BreachSeverity, type PrivacyEvent, type RequestKind, type RequestOutcome } from '../domain/privacy-events';

export const envelopeType = (event: PrivacyEvent): string => `audit.${event.type}`;

export function toProto(event: PrivacyEvent): auditV1.AuditEvent {
  switch (event.type) {
    case 'ConsentGranted':
      return { event: { $case: 'consentGranted', value: { subjectId: event.subjectId, purpose: event.purpose, textVersion: event.textVersion } } };
    case 'ConsentWithdrawn':
      return { event: { $case: 'consentWithdrawn', value: { subjectId: event.subjectId, purpose: event.purpose, textVersion: event.textVersion } } };
    case 'DataSubjectRequestOpened':
      return { event: { $case: 'dataSubjectRequestOpened', value: { requestId: event.requestId, subjectId: event.subjectId, kind: event.kind, dueAtMs: event.dueAtMs } } };
    case 'DataSubjectRequestCompleted':
      return { event: { $case: 'dataSubjectRequestCompleted', value: { requestId: event.requestId, subjectId: event.subjectId, kind: event.kind, outcome: event.outcome } } };
    case 'ProcessingRestricted':
      return { event: { $case: 'processingRestricted', value: { subjectId: event.subjectId, requestId: event.requestId, kind: event.kind } } };
    case 'ProcessingRestrictionLifted':
      return { event: { $case: 'processingRestrictionLifted', value: { subjectId: event.subjectId } } };
    case 'ErasureRequested':
      return { event: { $case: 'erasureRequested', value: { requestId: event.requestId, subjectId: event.subjectId, graceEndsAtMs: event.graceEndsAtMs } } };
    case 'ErasureCancelled':
      return { event: { $case: 'erasureCancelled', value: { requestId: event.requestId, subjectId: event.subjectId } } };
    case 'SubjectPurgeRequested':
      return { event: { $case: 'subjectPurgeRequested', value: { requestId: event.requestId, subjectId: event.subjectId } } };
    case 'SubjectErased': {
      const { requestId, subjectId, confirmedBy, requestedAtMs, completedAtMs } = event;
      return { event: { $case: 'subjectErased', value: { requestId, subjectId, confirmedBy, requestedAtMs, completedAtMs } } };
    }
    case 'SubjectDataExported': {
      const { requestId, subjectId, services, documentSha256, onBehalf } = event;
      return {
        event: {
          $case: 'subjectDataExported',
          value: { requestId, subjectId, services, documentSha256, ...(onBehalf && { reason: onBehalf.reason, messagesReturned: onBehalf.messagesReturned }) },
        },
      };
    }
    case 'BreachIncidentRecorded': {
      const { incidentId, detectedAtMs, notifyByMs, severity, affectedSubjectCount } = event;
      return { event: { $case: 'breachIncidentRecorded', value: { incidentId, detectedAtMs, notifyByMs, severity, affectedSubjectCount } } };
    }
    case 'BreachIncidentResolved':
      return { event: { $case: 'breachIncidentResolved', value: { incidentId: event.incidentId } } };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled privacy event ${JSON.stringify(unhandled)}`);
    }
  }
}

export const encodePrivacyEvent = (event: PrivacyEvent): Uint8Array => auditV1.AuditEvent.encode(toProto(event)).finish();

/** The privacy event an AuditEvent carries; undefined for the trail-access cases. */
export function fromProto(message: auditV1.AuditEvent): PrivacyEvent | undefined {
  const e = message.event;
  if (!e) return undefined;
  switch (e.$case) {
    case 'auditTrailQueried':
    case 'auditLogVerified':
    case 'auditCheckpointSigned':
    case 'auditExported':
      return undefined;
    case 'consentGranted':
      return { type: 'ConsentGranted', ...e.value };
    case 'consentWithdrawn':
      return { type: 'ConsentWithdrawn', ...e.value };
    case 'dataSubjectRequestOpened':
      return { type: 'DataSubjectRequestOpened', requestId: e.value.requestId, subjectId: e.value.subjectId, kind: kindOf(e.value.kind), dueAtMs: Number(e.value.dueAtMs) };
    case 'dataSubjectRequestCompleted':
      return { type: 'DataSubjectRequestCompleted', requestId: e.value.requestId, subjectId: e.value.subjectId, kind: kindOf(e.value.kind), outcome: e.value.outcome as RequestOutcome };
    case 'processingRestricted':
      return { type: 'ProcessingRestricted', subjectId: e.value.subjectId, requestId: e.value.requestId, kind: e.value.kind === 'objection' ? 'objection' : 'restriction' };
    case 'processingRestrictionLifted':
      return { type: 'ProcessingRestrictionLifted', subjectId: e.value.subjectId };
    case 'erasureRequested':
      return { type: 'ErasureRequested', requestId: e.value.requestId, subjectId: e.value.subjectId, graceEndsAtMs: Number(e.value.graceEndsAtMs) };
    case 'erasureCancelled':
      return { type: 'ErasureCancelled', ...e.value };
    case 'subjectPurgeRequested':
      return { type: 'SubjectPurgeRequested', ...e.value };
    case 'subjectErased':
      return {
        type: 'SubjectErased',
        requestId: e.value.requestId,
        subjectId: e.value.subjectId,
        confirmedBy: [...e.value.confirmedBy],
        requestedAtMs: Number(e.value.requestedAtMs),
        completedAtMs: Number(e.value.completedAtMs),
      };
    case 'subjectDataExported': {
      const { requestId, subjectId, services, documentSha256, reason, messagesReturned } = e.value;
      return {
        type: 'SubjectDataExported',
        requestId,
        subjectId,
        services: [...services],
        documentSha256,
        ...(reason !== undefined && { onBehalf: { reason, messagesReturned: messagesReturned ?? 0 } }),
      };
    }
    case 'breachIncidentRecorded':
      return {
        type: 'BreachIncidentRecorded',
        incidentId: e.value.incidentId,
        detectedAtMs: Number(e.value.detectedAtMs),
        notifyByMs: Number(e.value.notifyByMs),
        severity: severityOf(e.value.severity),
        affectedSubjectCount: Number(e.value.affectedSubjectCount),
      };
    case 'breachIncidentResolved':
      return { type: 'BreachIncidentResolved', incidentId: e.value.incidentId };
    default: {
      const unhandled: never = e;
      throw new Error(`unhandled audit event ${JSON.stringify(unhandled)}`);
    }
  }
}

export const decodePrivacyEvent = (payload: Uint8Array): PrivacyEvent | undefined => fromProto(auditV1.AuditEvent.decode(payload));

function kindOf(kind: string): RequestKind {
  if (!isRequestKind(kind)) throw new Error(`unknown request kind in a stored event`);
  return kind;
}

function severityOf(severity: string): BreachSeverity {
  const known = BREACH_SEVERITIES.find((s) => s === severity);
  if (!known) throw new Error('unknown breach severity in a stored event');
  return known;
}
