import type { PersonalFields } from '@enclave/privacy';
import type { PersonalDetails } from '../domain/account';

/** The part of @enclave/privacy's PersonalFields auth uses (tests may pass a PersonalFields on a fake key source). */
export type PersonalFieldCipher = Pick<PersonalFields, 'seal' | 'open' | 'markShredded'>;

/** Field names the sealed values are bound to: a value moved to another field does not open. */
export const SEALED_FIELD = { email: 'email', displayName: 'displayName', rectification: 'sealedChanges', pendingEmail: 'pendingEmail' } as const;

/**
 * Seals an account's email and display name with the person's subject key before they are
 * stored, and opens them when auth must address mail or answer the person. Rows written before
 * sealing (plain values) open as they are; a person whose key was shredded opens to null.
 */
export class AccountFields {
  constructor(private readonly cipher: PersonalFieldCipher) {}

  async seal(tenantId: string, subjectId: string, details: Partial<PersonalDetails>): Promise<Partial<PersonalDetails>> {
    const sealed: Partial<PersonalDetails> = {};
    if (details.email !== undefined) sealed.email = await this.cipher.seal({ tenantId, subjectId, field: SEALED_FIELD.email }, details.email);
    if (details.displayName !== undefined) {
      sealed.displayName = await this.cipher.seal({ tenantId, subjectId, field: SEALED_FIELD.displayName }, details.displayName);
    }
    return sealed;
  }

  async sealAll(tenantId: string, subjectId: string, details: PersonalDetails): Promise<PersonalDetails> {
    const sealed = await this.seal(tenantId, subjectId, details);
    return { email: sealed.email!, displayName: sealed.displayName! };
  }

  /** null once the person's key is shredded (their data cannot be read any more). */
  async open(tenantId: string, subjectId: string, stored: PersonalDetails): Promise<PersonalDetails | null> {
    const email = await this.cipher.open({ tenantId, subjectId, field: SEALED_FIELD.email }, stored.email);
    const displayName = await this.cipher.open({ tenantId, subjectId, field: SEALED_FIELD.displayName }, stored.displayName);
    return email === null || displayName === null ? null : { email, displayName };
  }

  /** AccountRectified.sealedChanges: the new values as JSON, sealed for the person. */
  sealChanges(tenantId: string, subjectId: string, changes: Partial<PersonalDetails>): Promise<string> {
    return this.cipher.seal({ tenantId, subjectId, field: SEALED_FIELD.rectification }, JSON.stringify(changes));
  }

  /** A new address waiting for confirmation (email_changes.sealedEmail). */
  sealPendingEmail(tenantId: string, subjectId: string, email: string): Promise<string> {
    return this.cipher.seal({ tenantId, subjectId, field: SEALED_FIELD.pendingEmail }, email);
  }

  /** null once the person's key is shredded. */
  openPendingEmail(tenantId: string, subjectId: string, sealed: string): Promise<string | null> {
    return this.cipher.open({ tenantId, subjectId, field: SEALED_FIELD.pendingEmail }, sealed);
  }

  /** After a purge: this process treats the person as erased without asking key-vault. */
  forget(tenantId: string, subjectId: string): void {
    this.cipher.markShredded(tenantId, subjectId);
  }
}
