import type { Jwks } from '@enclave/platform';
import type { SessionClaims } from '../domain/session-claims';

/** Signs session JWTs with auth's Ed25519 key and publishes the key that verifies them. */
export abstract class SessionSigner {
  abstract sign(claims: SessionClaims): string;
  abstract jwks(): Jwks;
}
