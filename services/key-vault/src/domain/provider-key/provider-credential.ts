import { isProvider, type Provider } from './providers';

// What is sealed for a provider key: the key AND the endpoint it may be sent to. Sealing the
// base URL with the key means someone able to edit the database cannot redirect the key to a
// server of their own: a changed URL no longer opens.

export interface ProviderCredential {
  provider: Provider;
  apiKey: string;
  /** Empty for the provider's public endpoint. */
  baseUrl: string;
}

export function encodeCredential(credential: ProviderCredential): Buffer {
  return Buffer.from(JSON.stringify({ p: credential.provider, k: credential.apiKey, u: credential.baseUrl }), 'utf8');
}

export class MalformedCredential extends Error {
  override readonly name = 'MalformedCredential';
  constructor() {
    super('decrypted credential is not in the expected format');
  }
}

export function decodeCredential(plaintext: Buffer): ProviderCredential {
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new MalformedCredential();
  }
  const { p, k, u } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof p !== 'string' || !isProvider(p) || typeof k !== 'string' || typeof u !== 'string') {
    throw new MalformedCredential();
  }
  return { provider: p, apiKey: k, baseUrl: u };
}
