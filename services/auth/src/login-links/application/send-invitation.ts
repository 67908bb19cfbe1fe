import { ConcurrencyError } from '@enclave/eventing';
import { decide, evolve, type LoginLinkEvent, type LoginLinkIssued, type LoginLinkState } from '../domain/login-link';
import { generateLoginToken, hashLoginToken } from '../domain/login-token';
import type { Clock } from '../../shared/clock';
import type { ActorRef } from '../../shared/application/actor';
import { AuthEventLog, streams, type AuthEvent } from '../../shared/application/auth-event-log';
import type { MembershipStore } from '../../memberships/application/membership-store';
import type { LinkMailer } from './link-mailer';
import type { LoginLinkStore } from './login-link-store';

export interface SendInvitationInput {
  tenantId: string;
  /** The MemberAdded event id: the invitation's link id and stream, so it is sent once. */
  invitationId: string;
  subjectId: string;
  actor: ActorRef;
}

export interface SendInvitationDeps {
  linkTtlMs: number;
  memberships: MembershipStore;
  links: LoginLinkStore;
  linkMailer: LinkMailer;
  events: AuthEventLog;
  clock: Clock;
}

/**
 * Mails a new member their first sign-in link. Idempotent per invitation id: once the stream
 * `login-link-<invitationId>` holds InvitationSent nothing is sent again. Mail goes out before
 * the events are recorded, so a failed send is retried by the consumer; a crash between the
 * two can at worst send a second mail, whose fresh token replaces the first one's.
 */
export class SendInvitation {
  constructor(private readonly deps: SendInvitationDeps) {}

  async execute(input: SendInvitationInput): Promise<void> {
    const { deps } = this;
    const streamId = streams.loginLink(input.invitationId);
    const history = await deps.events.read(input.tenantId, streamId);
    const state = history.events.filter(isLoginLinkEvent).reduce(evolve, { status: 'absent' } as LoginLinkState);
    const member = await deps.memberships.findMember(input.tenantId, input.subjectId);
    const events = decide(
      { type: 'InviteMember', tenantId: input.tenantId, member, nowMs: deps.clock.nowMs(), ttlMs: deps.linkTtlMs },
      state,
    );
    const issued = events.find((e): e is LoginLinkIssued => e.type === 'LoginLinkIssued');
    if (!issued) return;

    const token = generateLoginToken();
    const saved = await deps.links.save({
      linkId: input.invitationId,
      tenantId: input.tenantId,
      subjectId: issued.subjectId,
      tokenHash: hashLoginToken(token),
      expiresAtMs: issued.expiresAtMs,
      purpose: 'invitation',
    });
    // Not saved: an earlier attempt's mail arrived and its link was already used.
    if (saved) {
      await deps.linkMailer.send({ tenantId: input.tenantId, subjectId: issued.subjectId, token, purpose: 'invitation', validMs: deps.linkTtlMs });
    }
    try {
      await deps.events.append(input.tenantId, streamId, history.version, events, input.actor);
    } catch (error) {
      // A concurrent delivery of the same event recorded it first.
      if (!(error instanceof ConcurrencyError)) throw error;
    }
  }
}

function isLoginLinkEvent(event: AuthEvent): event is LoginLinkEvent {
  return event.type === 'LoginLinkIssued' || event.type === 'InvitationSent' || event.type === 'SessionStarted';
}
