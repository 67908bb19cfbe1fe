import { ConcurrencyError } from '@enclave/eventing';
import { NotFoundError } from '@enclave/platform';
import { REVOCATION_RETENTION_MS } from '@enclave/session';
import type { ActorRef } from '../../shared/application/actor';
import { AuthEventLog } from '../../shared/application/auth-event-log';
import type { IdGenerator } from '../../shared/application/id-generator';
import type { Clock } from '../../shared/clock';
import { parseRefreshToken } from '../domain/refresh-token';
import type { RevocationReason, SessionsRevoked } from '../domain/session-events';
import type { SessionStore } from './session-store';

export interface RevokeSessionsDeps {
  sessions: SessionStore;
  events: AuthEventLog;
  ids: IdGenerator;
  clock: Clock;
  /** This replica applies its own revocations at once, before they come back over Kafka. */
  onRevoked?: (event: SessionsRevoked, atMs: number) => void;
}

/**
 * Ends sessions: SessionsRevoked first (the outbox: every replica of every service refuses the
 * sessions' access tokens once it arrives, within seconds), then auth's rows (no more refreshes).
 * Each revocation has a stream of its own written once, so a retried membership event finds its
 * revocation recorded (ConcurrencyError) and only completes the row writes.
 */
export class RevokeSessions {
  constructor(private readonly deps: RevokeSessionsDeps) {}

  /** "Sign out" of one of the caller's own sessions; another person's id is not found. */
  async revokeOwn(tenantId: string, subjectId: string, sessionId: string, actor: ActorRef): Promise<void> {
    const record = await this.deps.sessions.findSession(sessionId);
    if (!record || record.tenantId !== tenantId || record.subjectId !== subjectId) throw new NotFoundError('session not found');
    if (record.revokedAtMs !== null) return;
    await this.end(tenantId, subjectId, [sessionId], 0, 'session_revoked', actor);
  }

  async logout(tenantId: string, subjectId: string, sessionId: string, actor: ActorRef): Promise<void> {
    await this.end(tenantId, subjectId, [sessionId], 0, 'logout', actor);
  }

  /** Logout with the refresh token (the access token may have expired): only its current token counts. */
  async logoutWithRefreshToken(refreshToken: string): Promise<boolean> {
    const parsed = parseRefreshToken(refreshToken);
    const record = parsed ? await this.deps.sessions.findSession(parsed.sessionId) : null;
    if (!parsed || !record || record.revokedAtMs !== null || record.refreshHash !== parsed.hash) return false;
    await this.end(record.tenantId, record.subjectId, [record.sessionId], 0, 'logout', { kind: 'person', subjectId: record.subjectId, role: '' });
    return true;
  }

  /** Every sign-in of the person in this tenant, the current one included. */
  async signOutEverywhere(tenantId: string, subjectId: string, actor: ActorRef, currentSessionId?: string): Promise<number> {
    const active = await this.deps.sessions.activeOf(tenantId, subjectId, this.deps.clock.nowMs());
    const ids = [...new Set([...active.map((s) => s.sessionId), ...(currentSessionId ? [currentSessionId] : [])])];
    await this.end(tenantId, subjectId, ids, 0, 'signed_out_everywhere', actor);
    return ids.length;
  }

  /** A refresh token used a second time, or one of a person no longer a member: the sign-in ends. */
  async refreshRefused(tenantId: string, subjectId: string, sessionId: string, reason: 'refresh_reused' | 'member_removed'): Promise<void> {
    await this.end(tenantId, subjectId, [sessionId], 0, reason, { kind: 'service', name: 'auth' });
  }

  /**
   * The tenant removed the person (every sign-in ends) or changed their role (every access
   * token issued before now is refused; a refresh issues one with the new role). Keyed by the
   * tenant event, so redelivery records nothing twice. A change older than any access token can
   * live (a consumer replaying history) needs nothing: a refresh re-reads the membership anyway.
   */
  async membershipChanged(
    tenantId: string,
    subjectId: string,
    change: 'removed' | 'role_changed',
    cause: { eventId: string; occurredAtMs: number },
    actor: ActorRef,
  ): Promise<void> {
    const { sessions, clock } = this.deps;
    const nowMs = clock.nowMs();
    if (nowMs - cause.occurredAtMs > REVOCATION_RETENTION_MS) return;
    const tenantEventId = cause.eventId;
    const ids = change === 'removed' ? (await sessions.activeOf(tenantId, subjectId, nowMs)).map((s) => s.sessionId) : [];
    const reason = change === 'removed' ? 'member_removed' : 'role_changed';
    const event: SessionsRevoked = { type: 'SessionsRevoked', tenantId, subjectId, sessionIds: ids, notBeforeMs: nowMs, reason };
    await this.record(event, `session-revocation-${tenantEventId}-${subjectId}`, actor);
    if (change === 'removed') await sessions.revoke(tenantId, ids, nowMs);
    else await sessions.raiseNotBefore(tenantId, subjectId, nowMs);
  }

  private async end(tenantId: string, subjectId: string, sessionIds: string[], notBeforeMs: number, reason: RevocationReason, actor: ActorRef): Promise<void> {
    if (sessionIds.length === 0) return;
    const event: SessionsRevoked = { type: 'SessionsRevoked', tenantId, subjectId, sessionIds, notBeforeMs, reason };
    await this.record(event, `session-revocation-${this.deps.ids.next()}`, actor);
    await this.deps.sessions.revoke(tenantId, sessionIds, this.deps.clock.nowMs());
  }

  private async record(event: SessionsRevoked, streamId: string, actor: ActorRef): Promise<void> {
    try {
      await this.deps.events.append(event.tenantId, streamId, 0, [event], actor);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    this.deps.onRevoked?.(event, this.deps.clock.nowMs());
  }
}
