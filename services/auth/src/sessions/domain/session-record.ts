import type { MemberSnapshot } from '../../login-links/domain/login-link';
import type { Role } from '../../shared/roles';

/** Auth's server-side state of one sign-in: what a refresh re-checks. */
export interface SessionRecord {
  sessionId: string;
  tenantId: string;
  subjectId: string;
  createdAtMs: number;
  refreshedAtMs: number;
  /** The sign-in's absolute end (SESSION_TTL_MS after it started); refreshes never extend it. */
  expiresAtMs: number;
  /** Access tokens must be issued at or after this (raised by a role change). */
  notBeforeMs: number;
  revokedAtMs: number | null;
  /** SHA-256 of the current refresh token. */
  refreshHash: string;
  /** SHA-256 of the one it replaced (a second tab refreshing at the same moment presents it). */
  previousRefreshHash: string | null;
}

/** How long after a rotation the token it replaced is refused without ending the sign-in. */
export const REFRESH_REUSE_GRACE_MS = 10_000;

export type RefreshRefusal = 'unknown' | 'revoked' | 'expired' | 'superseded' | 'reused' | 'not_member';

export type RefreshDecision = { ok: true; role: Role; issuedAtMs: number } | { ok: false; reason: RefreshRefusal; revoke: boolean };

/**
 * May this refresh token get a new access token? The member is read from auth's memberships
 * projection (the current role, not the one at sign-in). A token that is not the session's
 * current one was used before (theft or replay): the session ends, unless it is the one replaced
 * in the last few seconds (two tabs of one browser refreshing together: the other tab already
 * holds the new cookie). A session whose holder is no longer an active member ends too.
 */
export function decideRefresh(record: SessionRecord | null, presentedHash: string, member: MemberSnapshot | null, nowMs: number): RefreshDecision {
  if (!record) return { ok: false, reason: 'unknown', revoke: false };
  if (record.revokedAtMs !== null) return { ok: false, reason: 'revoked', revoke: false };
  if (nowMs >= record.expiresAtMs) return { ok: false, reason: 'expired', revoke: false };
  if (presentedHash !== record.refreshHash) {
    const superseded = presentedHash === record.previousRefreshHash && nowMs - record.refreshedAtMs < REFRESH_REUSE_GRACE_MS;
    return superseded ? { ok: false, reason: 'superseded', revoke: false } : { ok: false, reason: 'reused', revoke: true };
  }
  if (!member || !member.active || member.subjectId !== record.subjectId) return { ok: false, reason: 'not_member', revoke: true };
  return { ok: true, role: member.role, issuedAtMs: accessIssuedAtMs(nowMs, record.notBeforeMs) };
}

/**
 * The issue time an access token carries. JWT `iat` has whole seconds and verifiers refuse
 * tokens issued before a not-before in ms, so a token issued in the same second as a role change
 * is dated to the next whole second (verifiers allow 30 s of clock skew).
 */
export function accessIssuedAtMs(nowMs: number, notBeforeMs: number): number {
  const nowSecMs = Math.floor(nowMs / 1000) * 1000;
  return nowSecMs >= notBeforeMs ? nowSecMs : Math.ceil(notBeforeMs / 1000) * 1000;
}

/** An access token lives ACCESS_TOKEN_TTL_MS, never past the end of its sign-in. */
export function accessExpiresAtMs(issuedAtMs: number, accessTtlMs: number, sessionExpiresAtMs: number): number {
  return Math.min(issuedAtMs + accessTtlMs, sessionExpiresAtMs);
}
