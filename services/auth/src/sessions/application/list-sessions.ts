import type { Clock } from '../../shared/clock';
import type { SessionStore } from './session-store';

/** One of a person's sign-ins as they see it: no token, no hash. */
export interface SessionSummary {
  id: string;
  createdAt: string;
  lastRefreshedAt: string;
  expiresAt: string;
  current: boolean;
}

/** The caller's own sign-ins in this tenant that can still be used, newest first. */
export class ListSessions {
  constructor(
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
  ) {}

  async execute(tenantId: string, subjectId: string, currentSessionId: string): Promise<SessionSummary[]> {
    const active = await this.sessions.activeOf(tenantId, subjectId, this.clock.nowMs());
    return active.map((s) => ({
      id: s.sessionId,
      createdAt: new Date(s.createdAtMs).toISOString(),
      lastRefreshedAt: new Date(s.refreshedAtMs).toISOString(),
      expiresAt: new Date(s.expiresAtMs).toISOString(),
      current: s.sessionId === currentSessionId,
    }));
  }
}
