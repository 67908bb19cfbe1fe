import type { auditV1 } from '@enclave/proto';
import { PoisonError, type EventHandler } from '@enclave/eventing';
import { assertNever } from '../../shared/assert-never';
import type { BreachNoticeInput, NotifyBreach } from '../application/notify-breach';
import type { PurgeSubjectInput, PurgeSubject } from '../application/purge-subject';

/** What auth must do for an audit event. */
export type AuditAction = { kind: 'purge'; input: PurgeSubjectInput } | { kind: 'breach'; input: BreachNoticeInput } | null;

/** Consumes enclave.audit.events.v1: auth acts on SubjectPurgeRequested and BreachIncidentRecorded. */
export function auditEventsHandler(purge: PurgeSubject, notifyBreach: NotifyBreach): EventHandler<auditV1.AuditEvent> {
  return async (event) => {
    const action = auditActionOf(event.tenantId, event.payload);
    if (action?.kind === 'purge') await purge.execute(action.input);
    if (action?.kind === 'breach') await notifyBreach.execute(action.input);
  };
}

/** The purge auth must do for this audit event, or null when the event asks for no purge. */
export function purgeRequestOf(tenantId: string, message: auditV1.AuditEvent): PurgeSubjectInput | null {
  const action = auditActionOf(tenantId, message);
  return action?.kind === 'purge' ? action.input : null;
}

export function auditActionOf(tenantId: string, message: auditV1.AuditEvent): AuditAction {
  const event = message.event;
  if (!event) throw new PoisonError('audit event has no payload');
  switch (event.$case) {
    case 'subjectPurgeRequested':
      if (!event.value.requestId || !event.value.subjectId) throw new PoisonError('SubjectPurgeRequested lacks its request or subject id');
      return { kind: 'purge', input: { tenantId, requestId: event.value.requestId, subjectId: event.value.subjectId } };
    case 'breachIncidentRecorded': {
      const { incidentId, detectedAtMs, notifyByMs, severity } = event.value;
      if (!incidentId || !tenantId) throw new PoisonError('BreachIncidentRecorded lacks its incident or tenant id');
      return { kind: 'breach', input: { tenantId, incidentId, detectedAtMs: Number(detectedAtMs), notifyByMs: Number(notifyByMs), severity } };
    }
    case 'auditTrailQueried':
    case 'auditLogVerified':
    case 'auditCheckpointSigned':
    case 'auditExported':
    case 'consentGranted':
    case 'consentWithdrawn':
    case 'dataSubjectRequestOpened':
    case 'dataSubjectRequestCompleted':
    case 'processingRestricted':
    case 'processingRestrictionLifted':
    case 'erasureRequested':
    case 'erasureCancelled':
    case 'subjectErased':
    case 'subjectDataExported':
    case 'breachIncidentResolved':
      return null;
    default:
      return assertNever(event);
  }
}
