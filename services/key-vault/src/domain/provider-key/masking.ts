import { createHmac } from 'node:crypto';
import type { Provider } from './providers';

// What an admin may see of a stored key. Never the key itself: only enough to recognise it.

export interface MaskedProviderKey {
  keyId: string;
  keyVersion: number;
  provider: Provider;
  label: string;
  lastFour: string;
  fingerprint: string;
  isDefault: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export function lastFour(apiKey: string): string {
  return apiKey.slice(-4);
}

/**
 * Keyed fingerprint (HMAC-SHA256, first 16 hex characters): the same key always gives the same
 * fingerprint, but without the fingerprint key nobody can test guesses against it.
 */
export function fingerprint(fingerprintKey: Buffer, apiKey: string): string {
  return createHmac('sha256', fingerprintKey).update(apiKey, 'utf8').digest('hex').slice(0, 16);
}
