import { UnavailableError } from '@enclave/platform';
import { generateLoginToken, hashLoginToken, isWellFormedLoginToken } from '../../login-links/domain/login-token';
import type { Mailer } from '../../login-links/application/mailer';
import type { TenantDirectory } from '../../memberships/application/membership-store';
import type { ActorRef } from '../../shared/application/actor';
import type { IdGenerator } from '../../shared/application/id-generator';
import type { Clock } from '../../shared/clock';
import { isRole } from '../../shared/roles';
import type { PersonalDetails } from '../domain/account';
import { EMAIL_CHANGE_TTL_MS, emailConfirmationUrl, InvalidEmailChangeLinkError, isUsable, type PendingEmailChange } from '../domain/email-change';
import type { ContactDirectory } from './account-contacts';
import type { AccountFields } from './account-fields';
import type { EmailChangeStore } from './email-change-store';
import { composeChangeNotice, composeConfirmationMail } from './email-change-mail-content';
import type { EmailChangeRequester, RectifyAccount } from './rectify-account';

export interface EmailChangeDeps {
  store: EmailChangeStore;
  fields: AccountFields;
  contacts: ContactDirectory;
  tenants: TenantDirectory;
  mailer: Mailer;
  publicBaseUrl: string;
  ids: IdGenerator;
  clock: Clock;
}

/**
 * Asking for a new email address: the change is stored pending (the address sealed, the link's
 * token only hashed), the OLD address is told first, then the link goes to the NEW address.
 * If either mail cannot be sent the caller hears 503 and nothing changes.
 */
export class EmailChangeRequests implements EmailChangeRequester {
  constructor(private readonly deps: EmailChangeDeps) {}

  async request(input: { tenantId: string; subjectId: string; newEmail: string; current: PersonalDetails; actor: ActorRef }): Promise<void> {
    const { deps } = this;
    const { tenantId, subjectId } = input;
    const token = generateLoginToken();
    const nowMs = deps.clock.nowMs();
    const requestedBy = input.actor.kind === 'person' ? { subjectId: input.actor.subjectId, role: input.actor.role } : { subjectId: '', role: '' };
    await deps.store.save({
      changeId: deps.ids.next(),
      tenantId,
      subjectId,
      tokenHash: hashLoginToken(token),
      sealedEmail: await deps.fields.sealPendingEmail(tenantId, subjectId, input.newEmail),
      requestedBy,
      createdAtMs: nowMs,
      expiresAtMs: nowMs + EMAIL_CHANGE_TTL_MS,
    });
    const tenant = await deps.tenants.findProfile(tenantId);
    const owner = tenant?.ownerSubjectId ? await deps.contacts.findContact(tenantId, tenant.ownerSubjectId) : null;
    const content = {
      instanceName: tenant?.instanceName ?? '',
      recipientName: input.current.displayName,
      requestedByAdmin: requestedBy.subjectId !== subjectId,
      validHours: EMAIL_CHANGE_TTL_MS / 3_600_000,
    };
    const replyTo = owner && owner.subjectId !== subjectId ? { replyTo: owner.email } : {};
    try {
      await deps.mailer.send({ to: input.current.email, ...replyTo, ...composeChangeNotice(content) });
      const link = emailConfirmationUrl(deps.publicBaseUrl, tenantId, token);
      await deps.mailer.send({ to: input.newEmail, ...replyTo, ...composeConfirmationMail({ ...content, link }) });
    } catch {
      throw new UnavailableError('the confirmation mail could not be sent; nothing changed, try again later');
    }
  }
}

/**
 * The holder of the new address opens the link: the link is claimed (single use), still valid,
 * the requester still outranks the person (or is them), and the address still free; then the
 * email changes and is recorded as AccountRectified. Any unusable link fails the same way.
 */
export class ConfirmEmailChange {
  constructor(
    private readonly deps: Pick<EmailChangeDeps, 'store' | 'fields' | 'clock'>,
    private readonly rectify: Pick<RectifyAccount, 'applyConfirmedEmail'>,
  ) {}

  async execute(token: string): Promise<{ tenantId: string; subjectId: string }> {
    if (!isWellFormedLoginToken(token)) throw new InvalidEmailChangeLinkError();
    const change = await this.deps.store.claim(hashLoginToken(token));
    if (!change || !isUsable(change, this.deps.clock.nowMs())) throw new InvalidEmailChangeLinkError();
    const email = await this.deps.fields.openPendingEmail(change.tenantId, change.subjectId, change.sealedEmail);
    if (email === null) throw new InvalidEmailChangeLinkError();
    await this.rectify.applyConfirmedEmail(change.tenantId, change.subjectId, email, requesterOf(change));
    await this.deps.store.forget(change);
    return { tenantId: change.tenantId, subjectId: change.subjectId };
  }
}

function requesterOf(change: PendingEmailChange): ActorRef {
  const { subjectId, role } = change.requestedBy;
  if (!subjectId) return { kind: 'service', name: 'auth' };
  return { kind: 'person', subjectId, role: isRole(role) ? role : '' };
}
