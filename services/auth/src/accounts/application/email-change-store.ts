import type { PendingEmailChange } from '../domain/email-change';

/** `email_changes`: pending changes, by hashed token; single use through a unique-insert claim. */
export abstract class EmailChangeStore {
  abstract save(change: PendingEmailChange): Promise<void>;
  /**
   * The change whose token hashes to tokenHash, claimed for use: of any number of concurrent
   * claims exactly one gets it back, the rest (and unknown hashes) get null. Across tenants:
   * the token is the credential and its row names the tenant.
   */
  abstract claim(tokenHash: string): Promise<PendingEmailChange | null>;
  /** Removes a used change and its claim. */
  abstract forget(change: PendingEmailChange): Promise<void>;
}
