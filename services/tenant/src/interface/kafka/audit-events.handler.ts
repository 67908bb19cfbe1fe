import type { auditV1 } from '@enclave/proto';
import { PoisonError, type EventHandler } from '@enclave/eventing';
import type { PurgeSubject } from '../../application';

/**
 * Audit's topic: tenant acts on SubjectPurgeRequested only (every other audit event is skipped).
 * A request without its ids can never be applied: parked on the DLQ.
 */
export function auditEventsHandler(purge: PurgeSubject): EventHandler<auditV1.AuditEvent> {
  return async (consumed) => {
    const event = consumed.payload.event;
    if (event?.$case !== 'subjectPurgeRequested') return;
    const { requestId, subjectId } = event.value;
    if (!requestId || !subjectId) throw new PoisonError('SubjectPurgeRequested without request id or subject id');
    await purge.execute({ tenantId: consumed.tenantId, requestId, subjectId });
  };
}
