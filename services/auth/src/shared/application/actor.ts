import type { Role } from '../roles';

/** Who caused an auth event: a person (pseudonymous) or a calling service. */
export type ActorRef = { kind: 'person'; subjectId: string; role: Role | '' } | { kind: 'service'; name: string };
