/** What auth may use an account for: addressing mail to the person (values opened). */
export interface AccountContact {
  subjectId: string;
  email: string;
  displayName: string;
}

/** An account row as stored: email and displayName sealed (pf1) or, for legacy rows, plain. */
export interface StoredAccount {
  subjectId: string;
  emailHash: string;
  email: string;
  displayName: string;
  createdAt: Date;
}

export interface NewAccount {
  tenantId: string;
  emailHash: string;
  /** Sealed with the person's subject key. */
  email: string;
  /** Sealed with the person's subject key. */
  displayName: string;
  /** Used only when no account with this email hash exists in the tenant. */
  subjectId: string;
}

/** New stored values of a rectified account (email and name already sealed). */
export interface AccountChanges {
  emailHash?: string;
  email?: string;
  displayName?: string;
}

/** The `accounts` collection: the only place in the platform that holds emails and names (sealed). */
export abstract class AccountStore {
  /** Inserts the account unless (tenantId, emailHash) exists; either way returns its subject id. */
  abstract findOrCreate(account: NewAccount): Promise<{ subjectId: string; created: boolean }>;
  abstract findSubjectId(tenantId: string, emailHash: string): Promise<string | null>;
  /** The stored (sealed) contact; open it with AccountFields (see AccountContacts). */
  abstract findContact(tenantId: string, subjectId: string): Promise<AccountContact | null>;
  abstract findAccount(tenantId: string, subjectId: string): Promise<StoredAccount | null>;
  /** 'email_taken' when the new email hash belongs to another account of the tenant. */
  abstract rectify(tenantId: string, subjectId: string, changes: AccountChanges): Promise<'updated' | 'missing' | 'email_taken'>;
  /** Deletes the account row; the number of rows deleted. */
  abstract deleteAccount(tenantId: string, subjectId: string): Promise<number>;
}
