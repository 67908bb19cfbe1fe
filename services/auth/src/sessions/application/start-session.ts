import { decide, InvalidLoginLinkError, type LoginLinkState, type SessionStarted } from '../../login-links/domain/login-link';
import { hashLoginToken, isWellFormedLoginToken } from '../../login-links/domain/login-token';
import type { LoginLinkRecord, LoginLinkStore } from '../../login-links/application/login-link-store';
import type { MembershipStore } from '../../memberships/application/membership-store';
import type { Clock } from '../../shared/clock';
import type { Role } from '../../shared/roles';
import { AuthEventLog, streams } from '../../shared/application/auth-event-log';
import type { IdGenerator } from '../../shared/application/id-generator';
import { sessionClaims } from '../domain/session-claims';
import type { SessionSigner } from './session-signer';

export interface StartedSession {
  token: string;
  issuedAtMs: number;
  expiresAtMs: number;
  sessionId: string;
  subjectId: string;
  tenantId: string;
  role: Role;
}

export interface StartSessionDeps {
  sessionTtlMs: number;
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

    const member = await deps.memberships.findMember(link.tenantId, link.subjectId);
    const nowMs = deps.clock.nowMs();
    const sessionId = deps.ids.next();
    const events = decide({ type: 'ExchangeLoginLink', sessionId, member, nowMs }, stateOf(link));
    const started = events.find((e): e is SessionStarted => e.type === 'SessionStarted')!;
    if (!(await deps.links.claim(tokenHash, nowMs))) throw new InvalidLoginLinkError();

    await deps.events.append(link.tenantId, streams.session(sessionId), 0, events, {
      kind: 'person',
      subjectId: started.subjectId,
      role: started.role,
    });
    const claims = sessionClaims({
      subjectId: started.subjectId,
      tenantId: link.tenantId,
      role: started.role,
      sessionId,
      nowMs,
      ttlMs: deps.sessionTtlMs,
    });
    return {
      token: deps.signer.sign(claims),
      issuedAtMs: claims.iat * 1000,
      expiresAtMs: claims.exp * 1000,
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
