// Do auth's session tokens verify, claim for claim, with the JWKS it publishes — as other services verify them?
import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf } from '@enclave/platform';
import { StaticKeysSessionVerifier } from '@enclave/session';
import { sessionClaims } from '../domain/session-claims';
import { Ed25519SessionSigner } from './ed25519-session-signer';

const NOW = Date.UTC(2030, 0, 1);
const claims = sessionClaims({ subjectId: 's1', tenantId: 't1', role: 'auditor', sessionId: 'sid-1', nowMs: NOW, ttlMs: 3_600_000 });

describe('Ed25519 session signer', () => {
  const { privateKey } = generateKeyPairSync('ed25519');

  it('signs a token that @enclave/session verifies against the published JWKS', async () => {
    const signer = new Ed25519SessionSigner(privateKey);
    const verifier = new StaticKeysSessionVerifier(signer.jwks(), () => NOW + 1000);
    await expect(verifier.verify(signer.sign(claims))).resolves.toEqual({
      subjectId: 's1',
      tenantId: 't1',
      role: 'auditor',
      sessionId: 'sid-1',
      expiresAt: claims.exp * 1000,
      issuedAt: NOW,
    });
  });

  it('publishes one public Ed25519 JWK under the derived or configured key id, without the private part', () => {
    expect(new Ed25519SessionSigner(privateKey).jwks().keys[0]!.kid).toBe(keyIdOf(privateKey));
    const jwks = new Ed25519SessionSigner(privateKey, 'k-2030').jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: 'k-2030' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('puts the key id in the token header', () => {
    const token = new Ed25519SessionSigner(privateKey, 'k-2030').sign(claims);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: 'k-2030' });
  });

  it('is refused once expired and by a verifier holding another key', async () => {
    const token = new Ed25519SessionSigner(privateKey).sign(claims);
    await expect(new StaticKeysSessionVerifier(new Ed25519SessionSigner(privateKey).jwks(), () => NOW + 2 * 3_600_000).verify(token)).rejects.toThrow(
      'expired',
    );
    const other = new Ed25519SessionSigner(generateKeyPairSync('ed25519').privateKey);
    await expect(new StaticKeysSessionVerifier(other.jwks(), () => NOW).verify(token)).rejects.toThrow();
  });
});
