import { TokenInvalid, type JwtClaims } from '@enclave/platform';

export const ROLES = ['owner', 'admin', 'member', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const SESSION_ISSUER = 'enclave-auth';
export const SESSION_AUDIENCE = 'enclave';
export const SESSION_COOKIE = 'enclave_session';
/** The rotating refresh token: HttpOnly, sent only to auth's /v1/auth paths. */
export const REFRESH_COOKIE = 'enclave_refresh';

/** What a verified session says about its holder. */
export interface SessionClaims {
  subjectId: string;
  tenantId: string;
  role: Role;
  sessionId: string;
  /** ms since the epoch */
  expiresAt: number;
  /** ms since the epoch (the JWT's iat); compared with a revocation's not-before. */
  issuedAt?: number;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The JWT claims auth signs for a session. */
export function toJwtClaims(session: SessionClaims, issuedAtMs: number): JwtClaims {
  return {
    iss: SESSION_ISSUER,
    aud: SESSION_AUDIENCE,
    sub: session.subjectId,
    tid: session.tenantId,
    role: session.role,
    sid: session.sessionId,
    iat: Math.floor(issuedAtMs / 1000),
    exp: Math.floor(session.expiresAt / 1000),
  };
}

/** Reads verified JWT claims into SessionClaims; a token missing a claim is invalid. */
export function fromJwtClaims(claims: JwtClaims): SessionClaims {
  const { sub, tid, role, sid, exp, iat } = claims;
  if (typeof sub !== 'string' || !sub || typeof tid !== 'string' || !tid || typeof sid !== 'string' || !isRole(role) || typeof exp !== 'number') {
    throw new TokenInvalid('malformed');
  }
  return { subjectId: sub, tenantId: tid, role, sessionId: sid, expiresAt: exp * 1000, ...(typeof iat === 'number' && { issuedAt: iat * 1000 }) };
}
