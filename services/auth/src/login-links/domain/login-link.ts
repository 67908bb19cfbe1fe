import type { Role } from '../../shared/roles';
import { assertNever } from '../../shared/assert-never';

// The login link aggregate: issued to an active member (on request or as an invitation),
// exchanged exactly once, before it expires, for a session, while the member is still active.

/** What the memberships projection knows about the person a command is about. */
export interface MemberSnapshot {
  subjectId: string;
  role: Role;
  active: boolean;
}

/** Why a link was sent; kept on the link record, it only changes the mail's wording. */
export type LoginLinkPurpose = 'login' | 'invitation';

export type LoginLinkState =
  | { status: 'absent' }
  | { status: 'issued'; tenantId: string; subjectId: string; expiresAtMs: number }
  | { status: 'used'; tenantId: string; subjectId: string; expiresAtMs: number; sessionId: string };

export interface RequestLoginLink {
  type: 'RequestLoginLink';
  tenantId: string;
  /** null when no account has the requested email in this tenant. */
  member: MemberSnapshot | null;
  nowMs: number;
  ttlMs: number;
}

export interface InviteMember {
  type: 'InviteMember';
  tenantId: string;
  member: MemberSnapshot | null;
  nowMs: number;
  ttlMs: number;
}

export interface ExchangeLoginLink {
  type: 'ExchangeLoginLink';
  sessionId: string;
  /** The member's state now (null when the projection no longer knows them). */
  member: MemberSnapshot | null;
  nowMs: number;
}

export type LoginLinkCommand = RequestLoginLink | InviteMember | ExchangeLoginLink;

export interface LoginLinkIssued {
  type: 'LoginLinkIssued';
  tenantId: string;
  subjectId: string;
  expiresAtMs: number;
}

export interface InvitationSent {
  type: 'InvitationSent';
  tenantId: string;
  subjectId: string;
  role: Role;
}

export interface SessionStarted {
  type: 'SessionStarted';
  tenantId: string;
  subjectId: string;
  sessionId: string;
  role: Role;
}

export type LoginLinkEvent = LoginLinkIssued | InvitationSent | SessionStarted;

/** One error for every unusable link, so a caller cannot tell unknown, used and expired apart. */
export class InvalidLoginLinkError extends Error {
  override readonly name = 'InvalidLoginLinkError';
  constructor() {
    super('invalid_link');
  }
}

/** A new link was asked for on a link that already exists: a programming error, not input. */
export class LoginLinkExistsError extends Error {
  override readonly name = 'LoginLinkExistsError';
  constructor() {
    super('login link already issued');
  }
}

export function decide(command: LoginLinkCommand, state: LoginLinkState): LoginLinkEvent[] {
  switch (command.type) {
    case 'RequestLoginLink':
      if (state.status !== 'absent') throw new LoginLinkExistsError();
      if (!command.member?.active) return [];
      return [issued(command.tenantId, command.member, command.nowMs + command.ttlMs)];
    case 'InviteMember': {
      // Redelivery of the same MemberAdded finds its link issued: nothing more to send.
      if (state.status !== 'absent' || !command.member?.active) return [];
      const { member } = command;
      return [
        { type: 'InvitationSent', tenantId: command.tenantId, subjectId: member.subjectId, role: member.role },
        issued(command.tenantId, member, command.nowMs + command.ttlMs),
      ];
    }
    case 'ExchangeLoginLink':
      return exchange(command, state);
    default:
      return assertNever(command);
  }
}

export function evolve(state: LoginLinkState, event: LoginLinkEvent): LoginLinkState {
  switch (event.type) {
    case 'LoginLinkIssued':
      return { status: 'issued', tenantId: event.tenantId, subjectId: event.subjectId, expiresAtMs: event.expiresAtMs };
    case 'InvitationSent':
      return state;
    case 'SessionStarted':
      if (state.status !== 'issued') return state;
      return { ...state, status: 'used', sessionId: event.sessionId };
    default:
      return assertNever(event);
  }
}

function exchange(command: ExchangeLoginLink, state: LoginLinkState): LoginLinkEvent[] {
  if (state.status !== 'issued') throw new InvalidLoginLinkError();
  if (command.nowMs >= state.expiresAtMs) throw new InvalidLoginLinkError();
  const member = command.member;
  if (!member || !member.active || member.subjectId !== state.subjectId) throw new InvalidLoginLinkError();
  return [
    { type: 'SessionStarted', tenantId: state.tenantId, subjectId: member.subjectId, sessionId: command.sessionId, role: member.role },
  ];
}

function issued(tenantId: string, member: MemberSnapshot, expiresAtMs: number): LoginLinkIssued {
  return { type: 'LoginLinkIssued', tenantId, subjectId: member.subjectId, expiresAtMs };
}
