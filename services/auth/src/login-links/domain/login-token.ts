import { createHash, randomBytes } from 'node:crypto';

// A login link carries a bearer secret: 32 random bytes, base64url (43 characters). Only its
// SHA-256 is stored, so a database leak cannot be replayed as a login. A plain (unkeyed) hash is
// enough here because the token has 256 bits of entropy: there is nothing to guess.

export const LOGIN_TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateLoginToken(random: (size: number) => Buffer = randomBytes): string {
  const bytes = random(LOGIN_TOKEN_BYTES);
  if (bytes.length !== LOGIN_TOKEN_BYTES) throw new Error('random source returned the wrong length');
  return bytes.toString('base64url');
}

/** Whether a string has the shape of a token this service issues (43 base64url characters). */
export function isWellFormedLoginToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** SHA-256 of the token, hex: what `login_links.tokenHash` holds and is looked up by. */
export function hashLoginToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `${PUBLIC_BASE_URL}/login?tenant=<tenantId>&token=<token>` (a base path is kept). */
export function loginLinkUrl(publicBaseUrl: string, tenantId: string, token: string): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return `${base}/login?tenant=${encodeURIComponent(tenantId)}&token=${encodeURIComponent(token)}`;
}
