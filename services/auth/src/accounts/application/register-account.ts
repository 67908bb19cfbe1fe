import { ConcurrencyError } from '@enclave/eventing';
import { decide, evolve, type AccountEvent, type AccountState } from '../domain/account';
import { hashEmail, normalizeEmail } from '../../shared/keyed-hash';
import type { ActorRef } from '../../shared/application/actor';
import { AuthEventLog, streams, type AuthEvent } from '../../shared/application/auth-event-log';
import { IdGenerator } from '../../shared/application/id-generator';
import { AccountStore } from './account-store';
import type { AccountFields } from './account-fields';

export interface RegisterAccountInput {
  tenantId: string;
  email: string;
  displayName: string;
}

/**
 * Finds or creates the account for an email in a tenant (same email → same subject id), and
 * records AccountRegistered once. A new account's email and name are sealed with the new
 * subject's key before the row is written; the row is written first (its unique index decides
 * the subject id) and the event follows from the stream's state, so a call after a crash
 * between the two still records the event.
 */
export class RegisterAccount {
  constructor(
    private readonly emailHashKey: Buffer,
    private readonly accounts: AccountStore,
    private readonly fields: AccountFields,
    private readonly events: AuthEventLog,
    private readonly ids: IdGenerator,
  ) {}

  async execute(input: RegisterAccountInput, actor: ActorRef): Promise<{ subjectId: string; created: boolean }> {
    const emailHash = hashEmail(this.emailHashKey, input.email);
    const existing = await this.accounts.findSubjectId(input.tenantId, emailHash);
    const { subjectId, created } = existing ? { subjectId: existing, created: false } : await this.create(input, emailHash);
    const streamId = streams.account(subjectId);
    const history = await this.events.read(input.tenantId, streamId);
    const state = history.events.filter(isAccountEvent).reduce(evolve, { status: 'absent' } as AccountState);
    const events = decide({ type: 'RegisterAccount', tenantId: input.tenantId, newSubjectId: subjectId }, state);
    try {
      if (events.length > 0) await this.events.append(input.tenantId, streamId, history.version, events, actor);
    } catch (error) {
      // A concurrent call for the same email recorded the event first: nothing left to do.
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    return { subjectId, created };
  }

  private async create(input: RegisterAccountInput, emailHash: string): Promise<{ subjectId: string; created: boolean }> {
    const subjectId = this.ids.next();
    const sealed = await this.fields.sealAll(input.tenantId, subjectId, { email: normalizeEmail(input.email), displayName: input.displayName.trim() });
    return this.accounts.findOrCreate({ tenantId: input.tenantId, emailHash, ...sealed, subjectId });
  }
}

function isAccountEvent(event: AuthEvent): event is AccountEvent {
  return event.type === 'AccountRegistered' || event.type === 'AccountRectified';
}
