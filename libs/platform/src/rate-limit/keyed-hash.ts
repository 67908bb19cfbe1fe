import { createHmac } from 'node:crypto';

// Client IPs (and other identifiers a limit counts) are kept only as keyed hashes (HMAC-SHA256):
// without the key a leaked hash cannot be reversed by guessing.

/** HMAC-SHA256(key, text), hex. */
export function keyedHash(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** An IPv4 client seen through an IPv6 socket (::ffff:1.2.3.4) counts as the same IPv4 client. */
export function normalizeIp(ip: string): string {
  const trimmed = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/** HMAC-SHA256(IP hash key, ip), hex: the only form in which a client IP is kept (rate limits). */
export function hashIp(key: Buffer, ip: string): string {
  return keyedHash(key, normalizeIp(ip));
}
