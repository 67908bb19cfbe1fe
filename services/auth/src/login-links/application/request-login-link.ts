import { RateLimitedError, UnavailableError } from '@enclave/platform';
import { decide, type LoginLinkIssued } from '../domain/login-link';
import { generateLoginToken, hashLoginToken } from '../domain/login-token';
import { hashEmail } from '../../shared/keyed-hash';
import type { Clock } from '../../shared/clock';
import type { BackgroundTasks } from '../../shared/application/background-tasks';
import { AuthEventLog, streams } from '../../shared/application/auth-event-log';
import type { IdGenerator } from '../../shared/application/id-generator';
import type { AccountStore } from '../../accounts/application/account-store';
import type { MembershipStore } from '../../memberships/application/membership-store';
import type { LinkMailer } from './link-mailer';
import type { LoginLinkStore } from './login-link-store';
import { loginLinkBuckets, type LoginLinkRateLimits, type RateLimiter } from './rate-limiter';

export interface RequestLoginLinkInput {
  tenantId: string;
  email: string;
  /** Used only to derive the rate-limit key; never stored or logged. */
  clientIp: string;
}

export interface RequestLoginLinkDeps {
  emailHashKey: Buffer;
  ipHashKey: Buffer;
  limits: LoginLinkRateLimits;
  linkTtlMs: number;
  limiter: RateLimiter;
  accounts: AccountStore;
  memberships: MembershipStore;
  links: LoginLinkStore;
  linkMailer: LinkMailer;
  events: AuthEventLog;
  ids: IdGenerator;
  clock: Clock;
  tasks: BackgroundTasks;
}

/**
 * Someone asks for a sign-in link. The answer is the same whether or not the email belongs to an
 * active member: after the rate limit (counted the same for every email) the lookup, the link and
 * the mail run in the background, so neither the response nor its timing tells them apart.
 */
export class RequestLoginLink {
  constructor(private readonly deps: RequestLoginLinkDeps) {}

  async execute(input: RequestLoginLinkInput): Promise<void> {
    const { deps } = this;
    const emailHash = hashEmail(deps.emailHashKey, input.email);
    const buckets = loginLinkBuckets({ ip: input.clientIp, tenantId: input.tenantId, emailHash }, deps.ipHashKey, deps.limits);
    // Without the counters there is no abuse protection: refuse (503) rather than send unmetered.
    const decision = await deps.limiter.consume(buckets).catch(() => {
      throw new UnavailableError('sign-in links are unavailable right now; retry later');
    });
    if (!decision.allowed) throw new RateLimitedError('rate_limited', Math.ceil(decision.retryAfterMs / 1000));
    deps.tasks.run(() => this.issue(input.tenantId, emailHash));
  }

  private async issue(tenantId: string, emailHash: string): Promise<void> {
    const { deps } = this;
    const subjectId = await deps.accounts.findSubjectId(tenantId, emailHash);
    const member = subjectId ? await deps.memberships.findMember(tenantId, subjectId) : null;
    const events = decide(
      { type: 'RequestLoginLink', tenantId, member, nowMs: deps.clock.nowMs(), ttlMs: deps.linkTtlMs },
      { status: 'absent' },
    );
    const issued = events.find((e): e is LoginLinkIssued => e.type === 'LoginLinkIssued');
    if (!issued || !member) return;

    const linkId = deps.ids.next();
    const token = generateLoginToken();
    await deps.links.save({
      linkId,
      tenantId,
      subjectId: issued.subjectId,
      tokenHash: hashLoginToken(token),
      expiresAtMs: issued.expiresAtMs,
      purpose: 'login',
    });
    await deps.linkMailer.send({ tenantId, subjectId: issued.subjectId, token, purpose: 'login', validMs: deps.linkTtlMs });
    await deps.events.append(tenantId, streams.loginLink(linkId), 0, events, {
      kind: 'person',
      subjectId: member.subjectId,
      role: member.role,
    });
  }
}
