import { createPublicKey, type KeyObject } from 'node:crypto';
import { keyIdOf } from './keys';
import type { KeyResolver } from './jwt';

/** An Ed25519 public key as a JWK (RFC 8037). */
export interface Ed25519Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** What auth publishes so other services verify sessions locally. */
export interface Jwks {
  keys: Ed25519Jwk[];
}

/** The public JWK for a private or public Ed25519 key; kid defaults to keyIdOf(key). */
export function publicJwk(key: KeyObject, kid: string = keyIdOf(key)): Ed25519Jwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new TypeError('publicJwk needs an Ed25519 key');
  }
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: 'EdDSA', use: 'sig' };
}

/**
 * Builds KeyObjects once and resolves by kid with a map lookup. Entries that are not valid
 * Ed25519 JWKs are skipped (a JWKS may list key types this code does not use).
 */
export function keyResolverFromJwks(jwks: Jwks): KeyResolver {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks.keys ?? []) {
    if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || typeof jwk.kid !== 'string') continue;
    try {
      keys.set(jwk.kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' }));
    } catch {
      // A malformed entry must not make the whole set unusable.
    }
  }
  return (kid) => (kid === undefined ? undefined : keys.get(kid));
}
