import type { LoginLinkPurpose } from '../domain/login-link';
import { loginLinkUrl } from '../domain/login-token';
import type { ContactDirectory } from '../../accounts/application/account-contacts';
import { TenantDirectory } from '../../memberships/application/membership-store';
import { composeLinkMail } from './link-mail-content';
import { Mailer } from './mailer';

export interface LinkMail {
  tenantId: string;
  subjectId: string;
  token: string;
  purpose: LoginLinkPurpose;
  validMs: number;
}

/** No account behind a member: the tenant and auth disagree. Says nothing personal. */
export class MissingAccountError extends Error {
  override readonly name = 'MissingAccountError';
  constructor() {
    super('no account for the member; cannot address the mail');
  }
}

/** Addresses and sends a link mail: to the member, Reply-To the tenant owner. */
export class LinkMailer {
  constructor(
    private readonly publicBaseUrl: string,
    private readonly accounts: ContactDirectory,
    private readonly tenants: TenantDirectory,
    private readonly mailer: Mailer,
  ) {}

  async send(mail: LinkMail): Promise<void> {
    const recipient = await this.accounts.findContact(mail.tenantId, mail.subjectId);
    if (!recipient) throw new MissingAccountError();
    const tenant = await this.tenants.findProfile(mail.tenantId);
    const owner = tenant ? await this.accounts.findContact(mail.tenantId, tenant.ownerSubjectId) : null;
    const content = composeLinkMail({
      purpose: mail.purpose,
      instanceName: tenant?.instanceName ?? '',
      recipientName: recipient.displayName,
      link: loginLinkUrl(this.publicBaseUrl, mail.tenantId, mail.token),
      validMinutes: Math.max(1, Math.round(mail.validMs / 60_000)),
    });
    await this.mailer.send({ to: recipient.email, ...(owner ? { replyTo: owner.email } : {}), ...content });
  }
}
