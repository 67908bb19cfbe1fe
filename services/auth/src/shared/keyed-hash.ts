import { createHmac } from 'node:crypto';

// Emails and client IPs are looked up and counted by keyed hashes (HMAC-SHA256), never stored
// raw where a hash will do: without the key a leaked hash cannot be reversed by guessing.

/** The form an email is compared in: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** HMAC-SHA256(EMAIL_HASH_KEY, lower-cased email), hex. Unique per tenant in `accounts`. */
export function hashEmail(key: Buffer, email: string): string {
  return createHmac('sha256', key).update(normalizeEmail(email), 'utf8').digest('hex');
}

/** An IPv4 client seen through an IPv6 socket (::ffff:1.2.3.4) counts as the same IPv4 client. */
export function normalizeIp(ip: string): string {
  const trimmed = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/** HMAC-SHA256(IP_HASH_KEY, ip), hex: the only form in which a client IP is kept (rate limits). */
export function hashIp(key: Buffer, ip: string): string {
  return createHmac('sha256', key).update(normalizeIp(ip), 'utf8').digest('hex');
}
