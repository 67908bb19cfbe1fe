import { createHmac } from 'node:crypto';

// What an admin may see of a stored secret. Never the secret itself: only enough to recognise it.

/** Provider keys only: API keys are long and random, their last four identify them harmlessly. */
export function lastFour(apiKey: string): string {
  return apiKey.slice(-4);
}

/**
 * Keyed fingerprint (HMAC-SHA256, first 16 hex characters): the same secret always gives the
 * same fingerprint, but without the fingerprint key nobody can test guesses against it.
 */
export function fingerprint(fingerprintKey: Buffer, secret: string): string {
  return createHmac('sha256', fingerprintKey).update(secret, 'utf8').digest('hex').slice(0, 16);
}
