import type { ProviderEndpoint } from '../../metering/application/ports';

// What other features may use of the credentials feature.

/** A decrypted provider key as key-vault hands it to chat-gateway (and to nobody else). */
export interface ProviderCredential {
  keyId: string;
  keyVersion: number;
  provider: string;
  /** Empty: the provider's public endpoint. */
  baseUrl: string;
  apiKey: string;
}

export interface CredentialSource {
  /** Throws NoProviderKeyError when the tenant has none. */
  fetch(tenantId: string): Promise<ProviderCredential>;
}

export class NoProviderKeyError extends Error {
  override readonly name = 'NoProviderKeyError';
  constructor() {
    super('this instance has no provider key yet; an admin must add one');
  }
}

/** A ready provider endpoint for one (tenant, key version); the key itself stays inside it. */
export interface ProviderHandle {
  keyId: string;
  keyVersion: number;
  provider: string;
  client: ProviderEndpoint;
}

export type ProviderClientFactory = (credential: ProviderCredential) => ProviderEndpoint;

/** The tenant's provider endpoint, from memory when warm (see CredentialCache). */
export interface ProviderCredentials {
  /** Rejects with NoProviderKeyError when the tenant has no key. */
  get(tenantId: string): Promise<ProviderHandle>;
  /** Drops the cached endpoint (the provider rejected the key). */
  invalidate(tenantId: string): void;
}
