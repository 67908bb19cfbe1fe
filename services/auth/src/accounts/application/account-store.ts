/** What auth may use an account for: addressing mail to the person. */
export interface AccountContact {
  subjectId: string;
  email: string;
  displayName: string;
}

export interface NewAccount {
  tenantId: string;
  emailHash: string;
  email: string;
  displayName: string;
  /** Used only when no account with this email hash exists in the tenant. */
  subjectId: string;
}

/** The `accounts` collection: the only place in the platform that holds emails and names. */
export abstract class AccountStore {
  /** Inserts the account unless (tenantId, emailHash) exists; either way returns its subject id. */
  abstract findOrCreate(account: NewAccount): Promise<{ subjectId: string; created: boolean }>;
  abstract findSubjectId(tenantId: string, emailHash: string): Promise<string | null>;
  abstract findContact(tenantId: string, subjectId: string): Promise<AccountContact | null>;
}
