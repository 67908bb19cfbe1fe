import { ConflictError, NotFoundError } from '@enclave/platform';
import { ConcurrencyError } from '@enclave/eventing';
import { changedDetails, rectifiedFields, type AccountRectified, type PersonalDetails } from '../domain/account';
import { hashEmail } from '../../shared/keyed-hash';
import type { ActorRef } from '../../shared/application/actor';
import { AuthEventLog, streams } from '../../shared/application/auth-event-log';
import type { AccountStore } from './account-store';
import type { AccountFields } from './account-fields';

export interface RectifyAccountInput {
  tenantId: string;
  subjectId: string;
  /** Already validated: email normalised, displayName trimmed; at least one is set. */
  changes: Partial<PersonalDetails>;
}

/** What the person (or their admin) sees of an account: the opened values. */
export interface AccountView {
  subjectId: string;
  tenantId: string;
  email: string;
  displayName: string;
  createdAt: string;
}

const APPEND_TRIES = 3;

/**
 * Corrects a person's email or name (GDPR art. 16). The row is updated with the new values
 * sealed (and the new keyed email hash, so sign-in follows the new address), then
 * AccountRectified records which fields changed, the new values sealed for the person only.
 * Values equal to the current ones change nothing and record nothing.
 */
export class RectifyAccount {
  constructor(
    private readonly emailHashKey: Buffer,
    private readonly accounts: AccountStore,
    private readonly fields: AccountFields,
    private readonly events: AuthEventLog,
  ) {}

  async execute(input: RectifyAccountInput, actor: ActorRef): Promise<AccountView> {
    const { tenantId, subjectId } = input;
    const stored = await this.accounts.findAccount(tenantId, subjectId);
    const current = stored ? await this.fields.open(tenantId, subjectId, stored) : null;
    if (!stored || !current) throw new NotFoundError('account not found');
    const changes = changedDetails(current, input.changes);
    const view = (details: PersonalDetails): AccountView => ({ subjectId, tenantId, ...details, createdAt: stored.createdAt.toISOString() });
    if (changes.email === undefined && changes.displayName === undefined) return view(current);

    const emailHash = changes.email !== undefined ? hashEmail(this.emailHashKey, changes.email) : undefined;
    if (emailHash !== undefined) {
      const holder = await this.accounts.findSubjectId(tenantId, emailHash);
      if (holder && holder !== subjectId) throw new ConflictError('this email belongs to another account of the tenant');
    }
    // Both fields are sealed afresh, so rectifying a legacy plaintext row leaves none of it plain.
    const sealed = await this.fields.sealAll(tenantId, subjectId, { ...current, ...changes });
    const outcome = await this.accounts.rectify(tenantId, subjectId, { ...sealed, ...(emailHash !== undefined && { emailHash }) });
    if (outcome === 'missing') throw new NotFoundError('account not found');
    if (outcome === 'email_taken') throw new ConflictError('this email belongs to another account of the tenant');

    const event: AccountRectified = {
      type: 'AccountRectified',
      tenantId,
      subjectId,
      fields: rectifiedFields(changes),
      sealedChanges: await this.fields.sealChanges(tenantId, subjectId, changes),
    };
    await this.record(tenantId, subjectId, event, actor);
    return view({ ...current, ...changes });
  }

  /** Appends at the stream's end; a concurrent append (another rectification) just moves it. */
  private async record(tenantId: string, subjectId: string, event: AccountRectified, actor: ActorRef): Promise<void> {
    const streamId = streams.account(subjectId);
    for (let attempt = 1; ; attempt++) {
      const { version } = await this.events.read(tenantId, streamId);
      try {
        await this.events.append(tenantId, streamId, version, [event], actor);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= APPEND_TRIES) throw error;
      }
    }
  }
}
