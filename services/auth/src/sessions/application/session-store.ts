import type { SessionRecord } from '../domain/session-record';

/** `auth_sessions`: one row per sign-in (no token, only the refresh token's hash). */
export abstract class SessionStore {
  abstract create(record: SessionRecord): Promise<void>;
  abstract findSession(sessionId: string): Promise<SessionRecord | null>;
  /** Single-use gate of a refresh token (a unique insert): true for its first use only. */
  abstract claimRefresh(tenantId: string, refreshHash: string, atMs: number): Promise<boolean>;
  abstract rotate(tenantId: string, sessionId: string, hashes: { current: string; previous: string }, atMs: number): Promise<void>;
  abstract revoke(tenantId: string, sessionIds: readonly string[], atMs: number): Promise<void>;
  /** The person's sign-ins that are neither revoked nor past their end, newest first. */
  abstract activeOf(tenantId: string, subjectId: string, nowMs: number): Promise<SessionRecord[]>;
  abstract raiseNotBefore(tenantId: string, subjectId: string, notBeforeMs: number): Promise<void>;
}
