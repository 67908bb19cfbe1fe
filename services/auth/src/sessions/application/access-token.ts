import type { Role } from '../../shared/roles';
import { accessExpiresAtMs } from '../domain/session-record';
import { sessionClaims } from '../domain/session-claims';
import type { SessionSigner } from './session-signer';

/** What a sign-in or a refresh hands out: an access token and the sign-in's next refresh token. */
export interface IssuedSession {
  /** The access token (ACCESS_TOKEN_TTL_MS). */
  token: string;
  /** Rotating; exchanged at POST /v1/auth/refresh until the sign-in ends. */
  refreshToken: string;
  issuedAtMs: number;
  expiresAtMs: number;
  /** The sign-in's end (SESSION_TTL_MS). */
  sessionExpiresAtMs: number;
  sessionId: string;
  subjectId: string;
  tenantId: string;
  role: Role;
}

export interface IssuedAccess {
  token: string;
  issuedAtMs: number;
  expiresAtMs: number;
}

/** A short-lived access token (a session JWT) for one sign-in, as of issuedAtMs (whole seconds). */
export function issueAccessToken(
  signer: SessionSigner,
  session: { sessionId: string; tenantId: string; subjectId: string; role: Role; expiresAtMs: number },
  issuedAtMs: number,
  accessTtlMs: number,
): IssuedAccess {
  const expiresAtMs = accessExpiresAtMs(issuedAtMs, accessTtlMs, session.expiresAtMs);
  const claims = sessionClaims({ ...session, nowMs: issuedAtMs, ttlMs: expiresAtMs - issuedAtMs });
  return { token: signer.sign(claims), issuedAtMs: claims.iat * 1000, expiresAtMs: claims.exp * 1000 };
}
