import { assertNever } from '../../shared/assert-never';

// An account ties a pseudonymous subject id to an email inside one tenant. The email itself
// stays in auth's `accounts` collection; the event says only that the subject exists.

export type AccountState = { status: 'absent' } | { status: 'registered'; tenantId: string; subjectId: string };

export interface RegisterAccount {
  type: 'RegisterAccount';
  tenantId: string;
  /** The id a new account gets; ignored when the email is already registered. */
  newSubjectId: string;
}

export type AccountCommand = RegisterAccount;

export interface AccountRegistered {
  type: 'AccountRegistered';
  tenantId: string;
  subjectId: string;
}

export type AccountEvent = AccountRegistered;

/** Registering is idempotent: an email already registered in the tenant yields no event. */
export function decide(command: AccountCommand, state: AccountState): AccountEvent[] {
  switch (command.type) {
    case 'RegisterAccount':
      if (state.status === 'registered') return [];
      return [{ type: 'AccountRegistered', tenantId: command.tenantId, subjectId: command.newSubjectId }];
    default:
      return assertNever(command.type);
  }
}

export function evolve(_state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountRegistered':
      return { status: 'registered', tenantId: event.tenantId, subjectId: event.subjectId };
    default:
      return assertNever(event.type);
  }
}
