import type { SessionClaims } from '@enclave/session';
import type { Actor } from '../../application/ports';

export function personOf(session: SessionClaims): Actor {
  return { kind: 'person', subjectId: session.subjectId, role: session.role };
}
