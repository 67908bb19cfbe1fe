import { ForbiddenError } from '@enclave/platform';
import type { SessionClaims } from '@enclave/session';

export const isManager = (session: SessionClaims): boolean => session.role === 'owner' || session.role === 'admin';
export const canOversee = (session: SessionClaims): boolean => isManager(session) || session.role === 'auditor';

/** The person themselves, or an owner/admin of their tenant. */
export function requireSelfOrManager(session: SessionClaims, subjectId: string): void {
  if (subjectId !== session.subjectId && !isManager(session)) throw new ForbiddenError('only the person or an owner or admin may do this');
}
