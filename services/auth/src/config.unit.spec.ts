// Does auth read its environment into typed settings with the documented defaults, and name every bad variable without echoing a value?
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ConfigError, generateServiceKeypair } from '@enclave/platform';
import { loadAuthConfig } from './config';

const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const tenantKey = generateServiceKeypair().publicKey;
const minimal = {
  MONGO_URL: 'mongodb://127.0.0.1:27027/',
  REDIS_URL: 'redis://127.0.0.1:16379',
  KAFKA_BROKERS: '127.0.0.1:19092',
  SERVICE_PUBLIC_KEYS: JSON.stringify({ tenant: tenantKey }),
  EMAIL_HASH_KEY: randomBytes(32).toString('base64'),
  IP_HASH_KEY: randomBytes(32).toString('base64'),
  SESSION_SIGNING_KEY: signingKey,
  PUBLIC_BASE_URL: 'http://127.0.0.1:7100',
  MAIL_FROM: 'Enclave <no-reply@enclave.local>',
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: '11025',
  SERVICE_PRIVATE_KEY: generateServiceKeypair().privateKey,
  KEY_VAULT_GRPC_ADDR: '127.0.0.1:7203',
};

describe('auth config', () => {
  it('applies the documented defaults', () => {
    const config = loadAuthConfig(minimal);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 7102, trustProxy: false });
    expect(config.grpc).toMatchObject({ enabled: true, host: '127.0.0.1', port: 7202 });
    expect(config.grpc.trust!.services).toEqual(['tenant']);
    expect(config.mongo.db).toBe('enclave_auth');
    expect(config.kafka).toEqual({ enabled: true, brokers: ['127.0.0.1:19092'], groupId: 'auth' });
    expect(config.smtp).toEqual({ host: '127.0.0.1', port: 11025, secure: false, from: 'Enclave <no-reply@enclave.local>' });
    expect(config.settings).toMatchObject({
      sessionTtlMs: 12 * 3_600_000,
      accessTtlMs: 5 * 60_000,
      loginLinkTtlMs: 15 * 60_000,
      invitationTtlMs: 72 * 3_600_000,
      loginLinkLimits: { perIp: { limit: 10, windowMs: 900_000 }, perEmail: { limit: 5, windowMs: 900_000 } },
      cookieSecure: true,
      sessionKeyId: undefined,
    });
    expect(config.settings.emailHashKey).toHaveLength(32);
    expect(config.keyVault).toEqual({ address: '127.0.0.1:7203', deadlineMs: 3000 });
    expect(config.retentionIntervalMs).toBe(3_600_000);
    expect(config.servicePrivateKey.asymmetricKeyType).toBe('ed25519');
  });

  it('needs its service key and key-vault address (personal fields are sealed with subject keys)', () => {
    expect(() => loadAuthConfig({ ...minimal, SERVICE_PRIVATE_KEY: undefined })).toThrow(/SERVICE_PRIVATE_KEY/);
    expect(() => loadAuthConfig({ ...minimal, KEY_VAULT_GRPC_ADDR: 'key-vault' })).toThrow(/KEY_VAULT_GRPC_ADDR/);
    expect(loadAuthConfig({ ...minimal, RETENTION_INTERVAL_MS: '10m' }).retentionIntervalMs).toBe(600_000);
  });

  it('reads durations, SMTP credentials and switches', () => {
    const config = loadAuthConfig({
      ...minimal,
      LOGIN_LINK_TTL_MS: '5m',
      SESSION_TTL_MS: '3600000',
      COOKIE_SECURE: 'false',
      SMTP_SECURE: 'true',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: 'pw',
      GRPC_ENABLED: 'false',
      KAFKA_ENABLED: 'false',
      SERVICE_PUBLIC_KEYS: '',
      KAFKA_BROKERS: '',
    });
    expect(config.settings.loginLinkTtlMs).toBe(300_000);
    expect(config.settings.sessionTtlMs).toBe(3_600_000);
    expect(config.settings.cookieSecure).toBe(false);
    expect(config.smtp).toMatchObject({ secure: true, user: 'mailer', password: 'pw' });
    expect(config.grpc.enabled).toBe(false);
    expect(config.kafka.enabled).toBe(false);
  });

  it('names every missing or malformed variable and never the value', () => {
    const badKey = randomBytes(16).toString('base64');
    let error: unknown;
    try {
      loadAuthConfig({ ...minimal, EMAIL_HASH_KEY: badKey, SESSION_SIGNING_KEY: 'c2VjcmV0', SMTP_HOST: undefined, SERVICE_PUBLIC_KEYS: '{"tenant": 1}' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['EMAIL_HASH_KEY', 'SESSION_SIGNING_KEY', 'SMTP_HOST', 'SERVICE_PUBLIC_KEYS']) expect(message).toContain(name);
    expect(message).not.toContain(badKey);
    expect(message).not.toContain('c2VjcmV0');
  });

  it('keeps access tokens short: at most 15 minutes, the time every verifier holds a revocation', () => {
    expect(loadAuthConfig({ ...minimal, ACCESS_TOKEN_TTL_MS: '2m' }).settings.accessTtlMs).toBe(120_000);
    expect(() => loadAuthConfig({ ...minimal, ACCESS_TOKEN_TTL_MS: '16m' })).toThrow(/ACCESS_TOKEN_TTL_MS/);
  });

  it('requires Kafka brokers and trusted callers only while those parts are on', () => {
    expect(() => loadAuthConfig({ ...minimal, KAFKA_BROKERS: undefined })).toThrow(/KAFKA_BROKERS/);
    expect(() => loadAuthConfig({ ...minimal, SERVICE_PUBLIC_KEYS: undefined })).toThrow(/SERVICE_PUBLIC_KEYS/);
  });
});
