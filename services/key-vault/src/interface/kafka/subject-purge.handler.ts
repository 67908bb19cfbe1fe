import type { auditV1 } from '@enclave/proto';
import { PoisonError, type EventHandler } from '@enclave/eventing';
import type { PurgeSubject } from '../../application/purge-subject';
import { isRequestId, isSubjectId } from '../../domain/subject-key/subject-key';

/**
 * Audit's topic: on SubjectPurgeRequested (an erasure's grace period is over) shred the
 * person's key and confirm. Every other audit event is none of key-vault's business. The
 * purge is idempotent and confirms once per request, so redeliveries are harmless.
 */
export function subjectPurgeHandler(purge: PurgeSubject): EventHandler<auditV1.AuditEvent> {
  return async (consumed) => {
    const event = consumed.payload.event;
    if (event?.$case !== 'subjectPurgeRequested') return;
    const { requestId, subjectId } = event.value;
    if (!isSubjectId(subjectId)) throw new PoisonError('SubjectPurgeRequested carries no valid subject id');
    if (!isRequestId(requestId)) throw new PoisonError('SubjectPurgeRequested carries no valid request id');
    await purge.execute({ tenantId: consumed.tenantId, subjectId, requestId });
  };
}
