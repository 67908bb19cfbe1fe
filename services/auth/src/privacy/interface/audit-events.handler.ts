import type { auditV1 } from '@enclave/proto';
import { PoisonError, type EventHandler } from '@enclave/eventing';
import { assertNever } from '../../shared/assert-never';
import type { PurgeSubjectInput, PurgeSubject } from '../application/purge-subject';

/** Consumes enclave.audit.events.v1: auth acts on SubjectPurgeRequested only. */
export function auditEventsHandler(purge: PurgeSubject): EventHandler<auditV1.AuditEvent> {
  return async (event) => {
    const request = purgeRequestOf(event.tenantId, event.payload);
    if (request) await purge.execute(request);
  };
}

/** The purge auth must do for this audit event, or null when the event is not for auth. */
export function purgeRequestOf(tenantId: string, message: auditV1.AuditEvent): PurgeSubjectInput | null {
  const event = message.event;
  if (!event) throw new PoisonError('audit event has no payload');
  switch (event.$case) {
    case 'subjectPurgeRequested':
      if (!event.value.requestId || !event.value.subjectId) throw new PoisonError('SubjectPurgeRequested lacks its request or subject id');
      return { tenantId, requestId: event.value.requestId, subjectId: event.value.subjectId };
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
      return null;
    default:
      return assertNever(event);
  }
}
