import type { SessionClaims } from './session-claims';

/** The longest access-token lifetime auth may be configured with (ACCESS_TOKEN_TTL_MS). */
export const MAX_ACCESS_TOKEN_TTL_MS = 15 * 60_000;

/** How long every replica holds a revocation: any token it covers has expired by then (30 s skew included). */
export const REVOCATION_RETENTION_MS = MAX_ACCESS_TOKEN_TTL_MS + 60_000;

/** One SessionsRevoked fact as every replica applies it (tenant from the envelope). */
export interface RevocationNotice {
  tenantId: string;
  subjectId: string;
  /** These sessions end entirely. */
  sessionIds: readonly string[];
  /** > 0: the person's access tokens issued before this (ms) are refused. */
  notBeforeMs: number;
  /** When the revocation happened (ms); it is kept for `retentionMs` after this. */
  atMs: number;
}

/**
 * The revocations of the last few minutes, in memory on every replica: checking a request is
 * two map lookups, no network. An entry is only needed while access tokens issued before it can
 * still be unexpired, so each is kept for `retentionMs` (the longest access-token lifetime plus
 * clock skew) after it happened; after that a refresh (which re-checks auth's stored session
 * and the person's membership) is the only way on, and a revoked session has none.
 */
export class SessionRevocations {
  private readonly sessions = new Map<string, number>();
  private readonly subjects = new Map<string, { notBeforeMs: number; untilMs: number }>();
  private lastPruneMs = 0;

  constructor(
    readonly retentionMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  apply(notice: RevocationNotice): void {
    const untilMs = notice.atMs + this.retentionMs;
    const nowMs = this.now();
    if (untilMs <= nowMs) return;
    for (const id of notice.sessionIds) this.sessions.set(id, Math.max(untilMs, this.sessions.get(id) ?? 0));
    if (notice.notBeforeMs > 0) {
      const key = subjectKey(notice.tenantId, notice.subjectId);
      const held = this.subjects.get(key);
      this.subjects.set(key, {
        notBeforeMs: Math.max(notice.notBeforeMs, held?.notBeforeMs ?? 0),
        untilMs: Math.max(untilMs, held?.untilMs ?? 0),
      });
    }
    if (nowMs - this.lastPruneMs >= 10_000) this.prune(nowMs);
  }

  /** A session named in a revocation, or a token issued before its holder's not-before. */
  isRevoked(session: Pick<SessionClaims, 'tenantId' | 'subjectId' | 'sessionId' | 'issuedAt'>): boolean {
    if (this.sessions.has(session.sessionId)) return true;
    const subject = this.subjects.get(subjectKey(session.tenantId, session.subjectId));
    if (!subject) return false;
    // A token without an issue time cannot prove it is newer: refused.
    return session.issuedAt === undefined || session.issuedAt < subject.notBeforeMs;
  }

  get size(): number {
    return this.sessions.size + this.subjects.size;
  }

  private prune(nowMs: number): void {
    this.lastPruneMs = nowMs;
    for (const [id, until] of this.sessions) if (until <= nowMs) this.sessions.delete(id);
    for (const [key, entry] of this.subjects) if (entry.untilMs <= nowMs) this.subjects.delete(key);
  }
}

function subjectKey(tenantId: string, subjectId: string): string {
  return `${tenantId}\u0000${subjectId}`;
}
