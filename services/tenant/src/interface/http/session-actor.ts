import type { SessionClaims } from '@enclave/session';
import type { Actor } from '../../application';

export function actorOf(session: SessionClaims): Actor {
  return { kind: 'person', subjectId: session.subjectId, role: session.role };
}
