import { createHmac } from 'node:crypto';

// What an admin may see of a stored secret. Never the secret itself: only enough to recognise it.

/** Provider keys only: API keys are long and random, their last four identify them harmlessly. */
export function lastFour(apiKey: string): string {
  return apiKey.slice(-4);
}

/**
 * Keyed fingerprint (HMAC-SHA256, first 16 hex characters): the same secret always gives the
 * same fingerprint within a tenant, but without the fingerprint key nobody can test guesses
 * against it. The HMAC key is derived per tenant, so the same provider key stored by two tenants
 * has unrelated fingerprints: fingerprints cannot link tenants.
 */
export function fingerprint(fingerprintKey: Buffer, tenantId: string, secret: string): string {
  const tenantKey = createHmac('sha256', fingerprintKey).update(`enclave-fingerprint-v2:${tenantId}`, 'utf8').digest();
  return createHmac('sha256', tenantKey).update(secret, 'utf8').digest('hex').slice(0, 16);
}
