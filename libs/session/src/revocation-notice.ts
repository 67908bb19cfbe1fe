import type { DecodedEvent } from '@enclave/eventing';
import type { authV1 } from '@enclave/proto';
import type { RevocationNotice } from './session-revocations';

/** SessionsRevoked on enclave.auth.events.v1 as a notice; null for every other auth event. */
export function revocationNoticeOf({ envelope, payload }: DecodedEvent<authV1.AuthEvent>): RevocationNotice | null {
  if (payload.event?.$case !== 'sessionsRevoked') return null;
  const { subjectId, sessionIds, notBeforeMs } = payload.event.value;
  if (!envelope.tenantId || !subjectId) return null;
  return { tenantId: envelope.tenantId, subjectId, sessionIds, notBeforeMs: Number(notBeforeMs), atMs: Number(envelope.occurredAtMs) };
}
