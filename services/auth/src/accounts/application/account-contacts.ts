import type { AccountContact, AccountStore } from './account-store';
import type { AccountFields } from './account-fields';

/** Where mail finds a person's address: the account, opened. */
export interface ContactDirectory {
  /** null when there is no account, or the person was erased (their fields no longer open). */
  findContact(tenantId: string, subjectId: string): Promise<AccountContact | null>;
}

/** Opens the sealed email and name of an account, only when mail is about to be sent. */
export class AccountContacts implements ContactDirectory {
  constructor(
    private readonly accounts: AccountStore,
    private readonly fields: AccountFields,
  ) {}

  async findContact(tenantId: string, subjectId: string): Promise<AccountContact | null> {
    const stored = await this.accounts.findContact(tenantId, subjectId);
    if (!stored) return null;
    const opened = await this.fields.open(tenantId, subjectId, stored);
    return opened ? { subjectId, ...opened } : null;
  }
}
