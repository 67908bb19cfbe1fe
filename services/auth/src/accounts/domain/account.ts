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

/** The person's name or email was corrected; the new values travel sealed (pf1) only. */
export interface AccountRectified {
  type: 'AccountRectified';
  tenantId: string;
  subjectId: string;
  fields: RectifiedField[];
  /** PersonalFields.seal of JSON {email?, displayName?} under field 'sealedChanges' (audit opens a sealed payload value under the name of its key). */
  sealedChanges: string;
}

/** Field names as AccountRectified.fields carries them (proto: "email" | "display_name"). */
export type RectifiedField = 'email' | 'display_name';

export type AccountEvent = AccountRegistered | AccountRectified;

export interface PersonalDetails {
  email: string;
  displayName: string;
}

/** The requested values that differ from the current ones (an unchanged value is no change). */
export function changedDetails(current: PersonalDetails, requested: Partial<PersonalDetails>): Partial<PersonalDetails> {
  const changes: Partial<PersonalDetails> = {};
  if (requested.email !== undefined && requested.email !== current.email) changes.email = requested.email;
  if (requested.displayName !== undefined && requested.displayName !== current.displayName) changes.displayName = requested.displayName;
  return changes;
}

export function rectifiedFields(changes: Partial<PersonalDetails>): RectifiedField[] {
  return [...(changes.email !== undefined ? (['email'] as const) : []), ...(changes.displayName !== undefined ? (['display_name'] as const) : [])];
}

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

export function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountRegistered':
      return { status: 'registered', tenantId: event.tenantId, subjectId: event.subjectId };
    case 'AccountRectified':
      return state;
    default:
      return assertNever(event);
  }
}
