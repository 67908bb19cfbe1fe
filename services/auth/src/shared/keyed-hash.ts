import { createHmac } from 'node:crypto';

// Emails are looked up and counted by keyed hashes (HMAC-SHA256), never stored raw where a hash
// will do: without the key a leaked hash cannot be reversed by guessing. Client IPs: hashIp in
// @enclave/platform.

/** The form an email is compared in: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** HMAC-SHA256(EMAIL_HASH_KEY, lower-cased email), hex. Unique per tenant in `accounts`. */
export function hashEmail(key: Buffer, email: string): string {
  return createHmac('sha256', key).update(normalizeEmail(email), 'utf8').digest('hex');
}
