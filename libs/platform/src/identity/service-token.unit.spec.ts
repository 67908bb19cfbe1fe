// Do service tokens prove who is calling whom, expire after 60 s, and get reused until shortly before that?
import { generateServiceKeypair, KeyFormatError, parseEd25519PrivateKey, parseEd25519PublicKey } from './keys';
import { signJwt } from './jwt';
import { TokenExpired, TokenInvalid } from './jwt-errors';
import { loadServiceIdentity, serviceTokenFor, ServiceTokenIssuer } from './service-identity';
import { parseServiceTrust, ServiceTrust, verifyServiceToken } from './service-trust';

const gatewayKeys = generateServiceKeypair();
const billingKeys = generateServiceKeypair();
const gateway = loadServiceIdentity('chat-gateway', gatewayKeys.privateKey);
const trust = new ServiceTrust({ 'chat-gateway': gatewayKeys.publicKey, billing: [billingKeys.publicKey] });

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenInvalid || error instanceof TokenExpired) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('service tokens', () => {
  it('name the caller when addressed to this service', () => {
    expect(gateway.kid).toBe(gatewayKeys.kid);
    expect(verifyServiceToken(serviceTokenFor(gateway, 'key-vault'), 'key-vault', trust)).toBe('chat-gateway');
  });

  it('are rejected for another audience, after tampering, or from an untrusted key', () => {
    const token = serviceTokenFor(gateway, 'key-vault');
    expect(reason(() => verifyServiceToken(token, 'billing', trust))).toBe('wrong_audience');
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ iss: 'billing', aud: 'key-vault', exp: 9e9, token_use: 'service' })).toString('base64url');
    expect(reason(() => verifyServiceToken(`${h}.${forged}.${s}`, 'key-vault', trust))).toBe('bad_signature');
    const stranger = loadServiceIdentity('chat-gateway', generateServiceKeypair().privateKey);
    expect(reason(() => verifyServiceToken(serviceTokenFor(stranger, 'key-vault'), 'key-vault', trust))).toBe('unknown_key');
  });

  it('cannot claim another service name with its own key', () => {
    const impostor = { ...loadServiceIdentity('billing', gatewayKeys.privateKey), name: 'billing' };
    expect(reason(() => verifyServiceToken(new ServiceTokenIssuer(impostor).tokenFor('key-vault'), 'key-vault', trust))).toBe('wrong_issuer');
  });

  it('are not accepted when they are ordinary JWTs (e.g. a user session)', () => {
    const session = signJwt({ iss: 'chat-gateway', aud: 'key-vault', exp: Math.floor(Date.now() / 1000) + 60 }, gateway.privateKey, gateway.kid);
    expect(reason(() => verifyServiceToken(session, 'key-vault', trust))).toBe('wrong_use');
  });

  it('live 60 s, are cached and refreshed 15 s before expiry', () => {
    let t = 1_700_000_000_000;
    const issuer = new ServiceTokenIssuer(gateway, { now: () => t });
    const first = issuer.tokenFor('key-vault');
    expect(issuer.tokenFor('billing')).not.toBe(first);
    t += 44_000;
    expect(issuer.tokenFor('key-vault')).toBe(first);
    expect(reason(() => verifyServiceToken(first, 'key-vault', trust, { now: () => t }))).toBe('accepted');
    t += 2_000;
    const second = issuer.tokenFor('key-vault');
    expect(second).not.toBe(first);
    expect(reason(() => verifyServiceToken(first, 'key-vault', trust, { now: () => t + 60_000, clockSkewSec: 0 }))).toBe('expired');
    expect(reason(() => verifyServiceToken(second, 'key-vault', trust, { now: () => t + 30_000 }))).toBe('accepted');
  });
});

describe('keys and trust config', () => {
  it('parses base64 DER and PEM and rejects other key types without echoing them', () => {
    const pemPrivate = parseEd25519PrivateKey(gatewayKeys.privateKey).export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(parseEd25519PrivateKey(pemPrivate).asymmetricKeyType).toBe('ed25519');
    expect(parseEd25519PublicKey(parseEd25519PublicKey(gatewayKeys.publicKey).export({ format: 'pem', type: 'spki' }).toString()).asymmetricKeyType).toBe('ed25519');
    expect(() => parseEd25519PublicKey('not a key!')).toThrow(KeyFormatError);
    const error = (() => {
      try {
        parseEd25519PublicKey(gatewayKeys.privateKey);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(KeyFormatError);
    expect(error!.message).not.toContain(gatewayKeys.privateKey);
  });

  it('parses name:key lists, allowing several keys per service for rotation', () => {
    const next = generateServiceKeypair();
    const parsed = parseServiceTrust(`chat-gateway:${gatewayKeys.publicKey}, chat-gateway:${next.publicKey},billing:${billingKeys.publicKey}`);
    expect(parsed.services).toEqual(['billing', 'chat-gateway']);
    expect(parsed.keyFor(next.kid)?.service).toBe('chat-gateway');
    expect(() => parseServiceTrust('chat-gateway=abc')).toThrow(KeyFormatError);
    expect(() => parseServiceTrust(`a:${gatewayKeys.publicKey},b:${gatewayKeys.publicKey}`)).toThrow('both a and b');
  });

  it('parses the JSON object form the chart and local scripts write', () => {
    const next = generateServiceKeypair();
    const parsed = parseServiceTrust(JSON.stringify({ 'chat-gateway': [gatewayKeys.publicKey, next.publicKey], billing: billingKeys.publicKey }));
    expect(parsed.services).toEqual(['billing', 'chat-gateway']);
    expect(parsed.keyFor(next.kid)?.service).toBe('chat-gateway');
    expect(() => parseServiceTrust('{"chat-gateway": 42}')).toThrow(KeyFormatError);
    expect(() => parseServiceTrust('{not json')).toThrow('not valid JSON');
  });
});
