import type { Provider } from './providers';

// Events of one provider key's stream. They carry only masked metadata, never key material.

export interface ProviderKeyStored {
  type: 'ProviderKeyStored';
  keyId: string;
  tenantId: string;
  keyVersion: number;
  provider: Provider;
  label: string;
  lastFour: string;
  fingerprint: string;
  storedAt: Date;
}

export interface ProviderKeyDecrypted {
  type: 'ProviderKeyDecrypted';
  keyId: string;
  tenantId: string;
  keyVersion: number;
  /** Service identity that received the plaintext. */
  caller: string;
  decryptedAt: Date;
}

export type ProviderKeyEvent = ProviderKeyStored | ProviderKeyDecrypted;
