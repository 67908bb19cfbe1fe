// What auth records when sessions end; every replica of every service applies it in memory.

export type RevocationReason = 'logout' | 'session_revoked' | 'signed_out_everywhere' | 'member_removed' | 'role_changed' | 'refresh_reused';

export const REVOCATION_REASONS: readonly RevocationReason[] = ['logout', 'session_revoked', 'signed_out_everywhere', 'member_removed', 'role_changed', 'refresh_reused'];

export interface SessionsRevoked {
  type: 'SessionsRevoked';
  tenantId: string;
  subjectId: string;
  /** These sessions end entirely. */
  sessionIds: string[];
  /** > 0: the person's access tokens issued before it are refused everywhere. */
  notBeforeMs: number;
  reason: RevocationReason;
}

export type SessionEvent = SessionsRevoked;
