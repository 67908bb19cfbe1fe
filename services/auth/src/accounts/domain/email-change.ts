// Changing a person's email address takes two sides: whoever asks (the person, or someone who
// outranks them) and the holder of the NEW address, who must use the link mailed there before it
// expires. The OLD address is told at once, so a hijack attempt cannot pass unnoticed.

/** How long the confirmation link mailed to the new address works. */
export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

/** One pending change as stored: the new address sealed for the person, the token only hashed. */
export interface PendingEmailChange {
  changeId: string;
  tenantId: string;
  subjectId: string;
  /** SHA-256 of the link's token, hex. */
  tokenHash: string;
  /** The new address, sealed with the person's subject key (field 'pendingEmail'). */
  sealedEmail: string;
  /** Who asked, as the confirmed change will be recorded (AccountRectified's actor). */
  requestedBy: { subjectId: string; role: string };
  createdAtMs: number;
  expiresAtMs: number;
}

/** One error for every unusable link, so a caller cannot tell unknown, used and expired apart. */
export class InvalidEmailChangeLinkError extends Error {
  override readonly name = 'InvalidEmailChangeLinkError';
  constructor() {
    super('this confirmation link is invalid, used or expired');
  }
}

/** Whether the link still works at nowMs (single use is enforced by the store's claim). */
export function isUsable(change: PendingEmailChange, nowMs: number): boolean {
  return nowMs < change.expiresAtMs;
}

/** `${PUBLIC_BASE_URL}/confirm-email?tenant=<tenantId>&token=<token>` (a base path is kept). */
export function emailConfirmationUrl(publicBaseUrl: string, tenantId: string, token: string): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return `${base}/confirm-email?tenant=${encodeURIComponent(tenantId)}&token=${encodeURIComponent(token)}`;
}
