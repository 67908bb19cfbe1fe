import type { LoginLinkPurpose } from '../domain/login-link';

export interface LoginLinkRecord {
  linkId: string;
  tenantId: string;
  subjectId: string;
  /** SHA-256 of the token, hex; the token itself is only ever in the mail. */
  tokenHash: string;
  expiresAtMs: number;
  usedAtMs: number | null;
  purpose: LoginLinkPurpose;
}

/** `login_links`: hashed, expiring, single-use tokens. */
export abstract class LoginLinkStore {
  /**
   * Creates the link, or gives an existing unused one a fresh token (an invitation mailed
   * again). False when the link exists and was already used: there is nothing left to send.
   */
  abstract save(link: Omit<LoginLinkRecord, 'usedAtMs'>): Promise<boolean>;
  /** By token hash across tenants: the token is the credential and names its tenant. */
  abstract findByTokenHash(tokenHash: string): Promise<LoginLinkRecord | null>;
  /**
   * Marks the link used if it is unused and unexpired at nowMs, atomically: of any number of
   * concurrent claims exactly one gets the record back, the rest get null.
   */
  abstract claim(tokenHash: string, nowMs: number): Promise<LoginLinkRecord | null>;
}
