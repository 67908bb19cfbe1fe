import { createHash, randomBytes } from 'node:crypto';

// A refresh token is `<sessionId>.<32 random bytes, base64url>`: the session id makes the
// lookup an _id read, the random part is the secret. Only its SHA-256 is stored (256 random
// bits need no slow hash). It is rotated on every use.

const FORMAT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export function newRefreshToken(sessionId: string, random: (size: number) => Buffer = randomBytes): string {
  return `${sessionId}.${random(32).toString('base64url')}`;
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** The session a well-formed token names, with the token's hash; null for anything else. */
export function parseRefreshToken(token: string): { sessionId: string; hash: string } | null {
  const match = FORMAT.exec(token);
  return match ? { sessionId: match[1]!, hash: hashRefreshToken(token) } : null;
}
