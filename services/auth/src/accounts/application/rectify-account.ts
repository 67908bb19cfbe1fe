import { ConflictError, NotFoundError } from '@enclave/platform';
import { ConcurrencyError } from '@enclave/eventing';
import { changedDetails, rectifiedFields, type AccountRectified, type PersonalDetails } from '../domain/account';
import { hashEmail } from '../../shared/keyed-hash';
import type { ActorRef } from '../../shared/application/actor';
import { AuthEventLog, streams } from '../../shared/application/auth-event-log';
import type { AccountStore, StoredAccount } from './account-store';
import type { AccountFields } from './account-fields';
import type { AccountRankGuard } from './account-rank-guard';

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

/** The view after a rectification; a new email is only pending until its link is used. */
export interface RectificationOutcome extends AccountView {
  emailChange?: 'confirmation_sent';
}

/** Starts the two-sided change of an email (see EmailChangeRequests). */
export interface EmailChangeRequester {
  request(input: { tenantId: string; subjectId: string; newEmail: string; current: PersonalDetails; actor: ActorRef }): Promise<void>;
}

const APPEND_TRIES = 3;

/**
 * Corrects a person's email or name (GDPR art. 16). A name is changed at once: the row is
 * updated with the new value sealed, then AccountRectified records which fields changed, the
 * new values sealed for the person only. A new email is not applied here: a confirmation link
 * goes to the new address and a notice to the old one, and applyConfirmedEmail() changes it
 * once the link is used. Values equal to the current ones change nothing. Someone else's
 * account only when the actor outranks them (AccountRankGuard).
 */
export class RectifyAccount {
  constructor(
    private readonly emailHashKey: Buffer,
    private readonly accounts: AccountStore,
    private readonly fields: AccountFields,
    private readonly events: AuthEventLog,
    private readonly ranks: AccountRankGuard,
    private readonly emailChanges: EmailChangeRequester,
  ) {}

  async execute(input: RectifyAccountInput, actor: ActorRef): Promise<RectificationOutcome> {
    const { tenantId, subjectId } = input;
    const { stored, current } = await this.load(tenantId, subjectId);
    await this.ranks.requireMayActOn(tenantId, actor, subjectId);
    const changes = changedDetails(current, input.changes);
    const view = (details: PersonalDetails): AccountView => ({ subjectId, tenantId, ...details, createdAt: stored.createdAt.toISOString() });
    if (changes.email !== undefined) await this.requireFree(tenantId, subjectId, changes.email);

    let details = current;
    if (changes.displayName !== undefined) {
      await this.apply(tenantId, subjectId, current, { displayName: changes.displayName }, actor);
      details = { ...current, displayName: changes.displayName };
    }
    if (changes.email === undefined) return view(details);
    await this.emailChanges.request({ tenantId, subjectId, newEmail: changes.email, current: details, actor });
    return { ...view(details), emailChange: 'confirmation_sent' };
  }

  /** The holder of the new address used its link: the email changes now, recorded as the requester's rectification. */
  async applyConfirmedEmail(tenantId: string, subjectId: string, email: string, requester: ActorRef): Promise<void> {
    const { current } = await this.load(tenantId, subjectId);
    await this.ranks.requireMayActOn(tenantId, requester, subjectId);
    if (email === current.email) return;
    await this.requireFree(tenantId, subjectId, email);
    await this.apply(tenantId, subjectId, current, { email }, requester);
  }

  private async load(tenantId: string, subjectId: string): Promise<{ stored: StoredAccount; current: PersonalDetails }> {
    const stored = await this.accounts.findAccount(tenantId, subjectId);
    const current = stored ? await this.fields.open(tenantId, subjectId, stored) : null;
    if (!stored || !current) throw new NotFoundError('account not found');
    return { stored, current };
  }

  private async requireFree(tenantId: string, subjectId: string, email: string): Promise<void> {
    const holder = await this.accounts.findSubjectId(tenantId, hashEmail(this.emailHashKey, email));
    if (holder && holder !== subjectId) throw new ConflictError('this email belongs to another account of the tenant');
  }

  private async apply(tenantId: string, subjectId: string, current: PersonalDetails, changes: Partial<PersonalDetails>, actor: ActorRef): Promise<void> {
    const emailHash = changes.email !== undefined ? hashEmail(this.emailHashKey, changes.email) : undefined;
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
