import type { Role } from '../../shared/roles';

// The claims of a session JWT. Other services verify them locally with auth's JWKS, so the
// issuer and audience names are part of the platform contract.

export const SESSION_ISSUER = 'enclave-auth';
export const SESSION_AUDIENCE = 'enclave';

export interface SessionClaims {
  sub: string;
  tid: string;
  role: Role;
  sid: string;
  iss: typeof SESSION_ISSUER;
  aud: typeof SESSION_AUDIENCE;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
}

export interface NewSession {
  subjectId: string;
  tenantId: string;
  role: Role;
  sessionId: string;
  nowMs: number;
  ttlMs: number;
}

export function sessionClaims(session: NewSession): SessionClaims {
  const iat = Math.floor(session.nowMs / 1000);
  return {
    sub: session.subjectId,
    tid: session.tenantId,
    role: session.role,
    sid: session.sessionId,
    iss: SESSION_ISSUER,
    aud: SESSION_AUDIENCE,
    iat,
    exp: iat + Math.max(1, Math.floor(session.ttlMs / 1000)),
  };
}
