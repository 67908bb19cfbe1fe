import { decide, InvalidLoginLinkError, type LoginLinkState, type SessionStarted } from '../../login-links/domain/login-link';
import { hashLoginToken, isWellFormedLoginToken } from '../../login-links/domain/login-token';
import type { LoginLinkRecord, LoginLinkStore } from '../../login-links/application/login-link-store';
import type { MembershipStore } from '../../memberships/application/membership-store';
import type { Clock } from '../../shared/clock';
import { AuthEventLog, streams } from '../../shared/application/auth-event-log';
import type { IdGenerator } from '../../shared/application/id-generator';
import { newRefreshToken, parseRefreshToken } from '../domain/refresh-token';
import { accessIssuedAtMs } from '../domain/session-record';
import { issueAccessToken, type IssuedSession } from './access-token';
import type { SessionSigner } from './session-signer';
import type { SessionStore } from './session-store';

export type StartedSession = IssuedSession;

export interface StartSessionDeps {
  sessionTtlMs: number;
  accessTtlMs: number;
  sessions: SessionStore;
  links: LoginLinkStore;
  memberships: MembershipStore;
  signer: SessionSigner;
  events: AuthEventLog;
  ids: IdGenerator;
  clock: Clock;
}

/**
 * Exchanges a login link token for a session. Unknown, used, expired links and removed members
 * all fail the same way (InvalidLoginLinkError). The link is claimed through the store's
 * single-use gate (LoginLinkStore.claim), so of concurrent exchanges exactly one gets a session.
 */
export class StartSession {
  constructor(private readonly deps: StartSessionDeps) {}

  async execute(token: string): Promise<StartedSession> {
    const { deps } = this;
    if (!isWellFormedLoginToken(token)) throw new InvalidLoginLinkError();
    const tokenHash = hashLoginToken(token);
    const link = await deps.links.findByTokenHash(tokenHash);
    if (!link) throw new InvalidLoginLinkError();

    // Read before the membership, as RefreshSession does: see the comment there.
    const nowMs = deps.clock.nowMs();
    const member = await deps.memberships.findMember(link.tenantId, link.subjectId);
    const sessionId = deps.ids.next();
    const events = decide({ type: 'ExchangeLoginLink', sessionId, member, nowMs }, stateOf(link));
    const started = events.find((e): e is SessionStarted => e.type === 'SessionStarted')!;
    if (!(await deps.links.claim(tokenHash, nowMs))) throw new InvalidLoginLinkError();

    await deps.events.append(link.tenantId, streams.session(sessionId), 0, events, {
      kind: 'person',
      subjectId: started.subjectId,
      role: started.role,
    });
    const refreshToken = newRefreshToken(sessionId);
    const sessionExpiresAtMs = nowMs + deps.sessionTtlMs;
    const base = { sessionId, tenantId: link.tenantId, subjectId: started.subjectId };
    await deps.sessions.create({
      ...base,
      createdAtMs: nowMs,
      refreshedAtMs: nowMs,
      expiresAtMs: sessionExpiresAtMs,
      notBeforeMs: 0,
      revokedAtMs: null,
      refreshHash: parseRefreshToken(refreshToken)!.hash,
      previousRefreshHash: null,
    });
    const access = issueAccessToken(deps.signer, { ...base, role: started.role, expiresAtMs: sessionExpiresAtMs }, accessIssuedAtMs(nowMs, 0), deps.accessTtlMs);
    return {
      token: access.token,
      refreshToken,
      issuedAtMs: access.issuedAtMs,
      expiresAtMs: access.expiresAtMs,
      sessionExpiresAtMs,
      sessionId,
      subjectId: started.subjectId,
      tenantId: link.tenantId,
      role: started.role,
    };
  }
}

function stateOf(link: LoginLinkRecord): LoginLinkState {
  const base = { tenantId: link.tenantId, subjectId: link.subjectId, expiresAtMs: link.expiresAtMs };
  return link.usedAtMs === null ? { status: 'issued', ...base } : { status: 'used', ...base, sessionId: '' };
}
