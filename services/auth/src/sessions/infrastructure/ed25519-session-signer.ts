import type { KeyObject } from 'node:crypto';
import { keyIdOf, publicJwk, signJwt, type Jwks } from '@enclave/platform';
import { SessionSigner } from '../application/session-signer';
import type { SessionClaims } from '../domain/session-claims';

/** EdDSA session JWTs under SESSION_SIGNING_KEY; the JWKS lists its public half. */
export class Ed25519SessionSigner extends SessionSigner {
  readonly keyId: string;
  private readonly published: Jwks;

  /** keyId: SESSION_KEY_ID, else derived from the key the way every other side derives it. */
  constructor(private readonly privateKey: KeyObject, keyId?: string) {
    super();
    this.keyId = keyId ?? keyIdOf(privateKey);
    this.published = { keys: [publicJwk(privateKey, this.keyId)] };
  }

  sign(claims: SessionClaims): string {
    return signJwt({ ...claims }, this.privateKey, this.keyId);
  }

  jwks(): Jwks {
    return { keys: this.published.keys.map((key) => ({ ...key })) };
  }
}
