import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf, publicJwk, signJwt, uuidv7, type Jwks } from '@enclave/platform';
import { toJwtClaims, type Role, type SessionClaims } from './session-claims';
import { StaticKeysSessionVerifier } from './session-verifier';

export interface MintOptions {
  tenantId: string;
  role: Role;
  subjectId?: string;
  ttlMs?: number;
}

/**
 * Real Ed25519 sessions for tests of services other than auth: a fresh key pair, its JWKS, a
 * verifier over it, and `mint` producing tokens exactly as auth signs them.
 */
export function testSessions() {
  const { privateKey } = generateKeyPairSync('ed25519');
  const kid = keyIdOf(privateKey);
  const jwks: Jwks = { keys: [publicJwk(privateKey, kid)] };
  const verifier = new StaticKeysSessionVerifier(jwks);
  const mint = (opts: MintOptions): { token: string; session: SessionClaims } => {
    const now = Date.now();
    const session: SessionClaims = {
      subjectId: opts.subjectId ?? uuidv7(),
      tenantId: opts.tenantId,
      role: opts.role,
      sessionId: uuidv7(),
      expiresAt: Math.floor((now + (opts.ttlMs ?? 3_600_000)) / 1000) * 1000,
      issuedAt: Math.floor(now / 1000) * 1000,
    };
    return { token: signJwt(toJwtClaims(session, now), privateKey, kid), session };
  };
  return { jwks, verifier, mint };
}
