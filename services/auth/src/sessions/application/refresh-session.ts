import type { MembershipStore } from '../../memberships/application/membership-store';
import type { Clock } from '../../shared/clock';
import { newRefreshToken, parseRefreshToken } from '../domain/refresh-token';
import { decideRefresh } from '../domain/session-record';
import { issueAccessToken, type IssuedSession } from './access-token';
import type { RevokeSessions } from './revoke-sessions';
import type { SessionSigner } from './session-signer';
import type { SessionStore } from './session-store';

/** One answer for every refusal, so a caller cannot tell unknown, used, revoked and expired apart. */
export class InvalidRefreshError extends Error {
  override readonly name = 'InvalidRefreshError';
  constructor() {
    super('this session has ended; sign in again');
  }
}

export interface RefreshSessionDeps {
  accessTtlMs: number;
  sessions: SessionStore;
  memberships: MembershipStore;
  revoke: RevokeSessions;
  signer: SessionSigner;
  clock: Clock;
}

/**
 * Exchanges a refresh token for a new access token and a new refresh token (rotation). The
 * role comes from auth's current memberships, so a demotion shows in the next access token and a
 * removed member gets none. The old token is claimed through a unique insert first: of two uses
 * of one token only one wins; a use after the rotation (a replay) ends the session.
 */
export class RefreshSession {
  constructor(private readonly deps: RefreshSessionDeps) {}

  async execute(refreshToken: string): Promise<IssuedSession> {
    const { deps } = this;
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw new InvalidRefreshError();
    // Read before the membership: a role change recorded after this read raises a not-before
    // later than this token's issue time, so the token it yields is refused.
    const nowMs = deps.clock.nowMs();
    const record = await deps.sessions.findSession(parsed.sessionId);
    const member = record ? await deps.memberships.findMember(record.tenantId, record.subjectId) : null;
    const decision = decideRefresh(record, parsed.hash, member, nowMs);
    if (!decision.ok) {
      if (decision.revoke && record) {
        await deps.revoke.refreshRefused(record.tenantId, record.subjectId, record.sessionId, decision.reason === 'not_member' ? 'member_removed' : 'refresh_reused');
      }
      throw new InvalidRefreshError();
    }
    const session = record!;
    // Lost to a use of the same token at the same moment (the current one when read): refused,
    // and the sign-in goes on with the winner's token; a later replay is caught above.
    if (!(await deps.sessions.claimRefresh(session.tenantId, parsed.hash, nowMs))) throw new InvalidRefreshError();
    const next = newRefreshToken(session.sessionId);
    await deps.sessions.rotate(session.tenantId, session.sessionId, { current: parseRefreshToken(next)!.hash, previous: parsed.hash }, nowMs);
    const access = issueAccessToken(deps.signer, { ...session, role: decision.role }, decision.issuedAtMs, deps.accessTtlMs);
    return {
      token: access.token,
      refreshToken: next,
      issuedAtMs: access.issuedAtMs,
      expiresAtMs: access.expiresAtMs,
      sessionExpiresAtMs: session.expiresAtMs,
      sessionId: session.sessionId,
      subjectId: session.subjectId,
      tenantId: session.tenantId,
      role: decision.role,
    };
  }
}
