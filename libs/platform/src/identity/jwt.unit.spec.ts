// Does verifyJwt accept exactly the untampered, in-date EdDSA tokens for the right audience, with typed errors otherwise?
import { generateKeyPairSync } from 'node:crypto';
import { keyResolverFromJwks, publicJwk, type Jwks } from './jwks';
import { signJwt, verifyJwt, type KeyResolver } from './jwt';
import { TokenExpired, TokenInvalid } from './jwt-errors';
import { keyIdOf } from './keys';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const kid = keyIdOf(publicKey);
const jwks: Jwks = { keys: [publicJwk(publicKey, kid)] };
const resolve: KeyResolver = keyResolverFromJwks(jwks);
const NOW = 1_700_000_000_000;
const nowSec = NOW / 1000;
const now = () => NOW;

const token = (claims: Record<string, unknown> = {}) =>
  signJwt({ iss: 'auth', sub: 'user-1', aud: 'enclave', iat: nowSec, exp: nowSec + 900, ...claims }, privateKey, kid);

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenInvalid || error instanceof TokenExpired) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('signJwt / verifyJwt', () => {
  it('round-trips claims with the EdDSA header and kid', () => {
    const t = token({ tid: 'tenant-1' });
    expect(JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'EdDSA', typ: 'JWT', kid });
    expect(verifyJwt(t, resolve, { now, audience: 'enclave', issuer: 'auth' })).toMatchObject({ sub: 'user-1', tid: 'tenant-1' });
  });

  it('rejects a tampered payload or signature', () => {
    const [h, p, s] = token().split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ iss: 'auth', sub: 'admin', aud: 'enclave', iat: nowSec, exp: nowSec + 900 })).toString('base64url');
    expect(reason(() => verifyJwt(`${h}.${forged}.${s}`, resolve, { now }))).toBe('bad_signature');
    const flipped = Buffer.from(s, 'base64url');
    flipped[0]! ^= 1;
    expect(reason(() => verifyJwt(`${h}.${p}.${flipped.toString('base64url')}`, resolve, { now }))).toBe('bad_signature');
    expect(reason(() => verifyJwt(`${h}.${p}.${s.slice(0, 20)}`, resolve, { now }))).toBe('bad_signature');
  });

  it('rejects tokens signed by another key under a known kid', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const t = signJwt({ exp: nowSec + 60 }, other, kid);
    expect(reason(() => verifyJwt(t, resolve, { now }))).toBe('bad_signature');
  });

  it('rejects unknown kids and non-EdDSA algorithms', () => {
    expect(reason(() => verifyJwt(signJwt({ exp: nowSec + 60 }, privateKey, 'nope'), resolve, { now }))).toBe('unknown_key');
    const [, p, s] = token().split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url');
    expect(reason(() => verifyJwt(`${none}.${p}.${s}`, resolve, { now }))).toBe('unsupported_alg');
  });

  it('checks expiry, not-before and issued-at with clock skew', () => {
    const t = token();
    expect(reason(() => verifyJwt(t, resolve, { now: () => NOW + 900_000 + 29_000 }))).toBe('accepted');
    expect(reason(() => verifyJwt(t, resolve, { now: () => NOW + 900_000 + 30_000 }))).toBe('expired');
    expect(reason(() => verifyJwt(t, resolve, { now: () => NOW + 900_000, clockSkewSec: 0 }))).toBe('expired');
    expect(reason(() => verifyJwt(token({ nbf: nowSec + 120 }), resolve, { now }))).toBe('not_yet_valid');
    expect(reason(() => verifyJwt(token({ iat: nowSec + 120 }), resolve, { now }))).toBe('issued_in_future');
    expect(reason(() => verifyJwt(token({ exp: undefined }), resolve, { now }))).toBe('missing_exp');
    expect(reason(() => verifyJwt(token({ exp: undefined }), resolve, { now, requireExp: false }))).toBe('accepted');
    expect(reason(() => verifyJwt(token({ exp: 'soon' }), resolve, { now }))).toBe('malformed');
  });

  it('checks audience and issuer only when asked', () => {
    expect(reason(() => verifyJwt(token(), resolve, { now, audience: 'billing' }))).toBe('wrong_audience');
    expect(reason(() => verifyJwt(token({ aud: ['x', 'billing'] }), resolve, { now, audience: 'billing' }))).toBe('accepted');
    expect(reason(() => verifyJwt(token(), resolve, { now, issuer: ['tenant'] }))).toBe('wrong_issuer');
    expect(reason(() => verifyJwt(token(), resolve, { now }))).toBe('accepted');
  });

  it('turns garbage into TokenInvalid(malformed), never a raw error', () => {
    for (const bad of ['', 'a.b', 'a.b.c.d', '!!.??.##', 'x'.repeat(10_000), `${token().split('.')[0]}.bm90IGpzb24.AAAA`]) {
      expect(['malformed', 'bad_signature']).toContain(reason(() => verifyJwt(bad, resolve, { now })));
    }
    expect(reason(() => verifyJwt(42 as unknown as string, resolve, { now }))).toBe('malformed');
  });

  it('ignores JWKS entries that are not Ed25519 and round-trips the JWK', () => {
    const jwk = publicJwk(privateKey);
    expect(jwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid, alg: 'EdDSA', use: 'sig' });
    const mixed = keyResolverFromJwks({ keys: [{ kty: 'RSA' } as never, { ...jwk, x: '!!' }, jwk] });
    expect(verifyJwt(token(), mixed, { now })).toMatchObject({ sub: 'user-1' });
  });
});
