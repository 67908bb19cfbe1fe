// Does audit's configuration accept a valid environment and name every bad variable without its value?
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, generateServiceKeypair } from '@enclave/platform';
import { loadAuditConfig } from './config';

const signing = generateServiceKeypair();
const identity = generateServiceKeypair();
const valid = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/',
  KAFKA_BROKERS: '127.0.0.1:9092',
  AUTH_JWKS_URL: 'http://127.0.0.1:7102/v1/auth/jwks',
  CHECKPOINT_SIGNING_KEY: signing.privateKey,
  SERVICE_PRIVATE_KEY: identity.privateKey,
  TENANT_GRPC_ADDR: '127.0.0.1:7201',
  AUTH_GRPC_ADDR: '127.0.0.1:7202',
  KEY_VAULT_GRPC_ADDR: '127.0.0.1:7203',
  CHAT_GATEWAY_GRPC_ADDR: '127.0.0.1:7204',
  BILLING_GRPC_ADDR: '127.0.0.1:7205',
};

describe('loadAuditConfig', () => {
  it('applies the defaults: port 7106, db enclave_audit, group audit', () => {
    const config = loadAuditConfig(valid);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 7106 });
    expect(config.mongo.db).toBe('enclave_audit');
    expect(config.kafka).toEqual({ enabled: true, brokers: ['127.0.0.1:9092'], groupId: 'audit' });
  });

  it('reads the checkpoint signing key and signs a checkpoint every minute by default', () => {
    const config = loadAuditConfig(valid);
    expect(config.checkpoints.signingKey.asymmetricKeyType).toBe('ed25519');
    expect(config.checkpoints.signingKey.type).toBe('private');
    expect(config.checkpoints.intervalMs).toBe(60_000);
    expect(loadAuditConfig({ ...valid, CHECKPOINT_INTERVAL_MS: '30s' }).checkpoints.intervalMs).toBe(30_000);
    expect(loadAuditConfig({ ...valid, CHECKPOINT_INTERVAL_MS: '0' }).checkpoints.intervalMs).toBe(0);
  });

  it('refuses a missing or non-Ed25519 signing key without echoing it', () => {
    const { CHECKPOINT_SIGNING_KEY: _omitted, ...noKey } = valid;
    expect(() => loadAuditConfig(noKey)).toThrow(/CHECKPOINT_SIGNING_KEY: missing/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    let message = '';
    try {
      loadAuditConfig({ ...valid, CHECKPOINT_SIGNING_KEY: rsa });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/CHECKPOINT_SIGNING_KEY: .*not an Ed25519 key/);
    expect(message).not.toContain(rsa.slice(0, 40));
    expect(() => loadAuditConfig({ ...valid, CHECKPOINT_INTERVAL_MS: 'hourly' })).toThrow(/CHECKPOINT_INTERVAL_MS/);
  });

  it('requires KAFKA_BROKERS while Kafka is enabled', () => {
    const { KAFKA_BROKERS: _omitted, ...noKafka } = valid;
    expect(() => loadAuditConfig(noKafka)).toThrow(/KAFKA_BROKERS: missing/);
    expect(loadAuditConfig({ ...noKafka, KAFKA_ENABLED: 'false' }).kafka.enabled).toBe(false);
  });

  it('names every missing or malformed variable without echoing it', () => {
    let error: unknown;
    try {
      loadAuditConfig({ MONGO_URL: 'postgres://user:pw@host/db', HTTP_PORT: '99999' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const variable of ['AUTH_JWKS_URL', 'HTTP_PORT', 'MONGO_URL']) expect(message).toContain(variable);
    expect(message).not.toContain('pw@host');
  });
  it('reads the data services, the privacy defaults and refuses the test clock in production', () => {
    const config = loadAuditConfig(valid);
    expect(config.dataServices).toEqual({
      auth: '127.0.0.1:7202',
      tenant: '127.0.0.1:7201',
      'key-vault': '127.0.0.1:7203',
      'chat-gateway': '127.0.0.1:7204',
      billing: '127.0.0.1:7205',
    });
    expect(config.privacy).toEqual({ graceDays: 30, jobsIntervalMs: 60_000, testClockEnabled: false });
    expect(config.grpcDeadlineMs).toBe(5_000);
    expect(loadAuditConfig({ ...valid, TEST_CLOCK_ENABLED: 'true', ERASURE_GRACE_DAYS: '7' }).privacy).toMatchObject({ graceDays: 7, testClockEnabled: true });
    expect(() => loadAuditConfig({ ...valid, TEST_CLOCK_ENABLED: 'true', NODE_ENV: 'production' })).toThrow(/TEST_CLOCK_ENABLED: .*must not be true when NODE_ENV=production/);
    expect(() => loadAuditConfig({ ...valid, BILLING_GRPC_ADDR: 'nowhere' })).toThrow(/BILLING_GRPC_ADDR/);
    const { SERVICE_PRIVATE_KEY: _omitted, ...noIdentity } = valid;
    expect(() => loadAuditConfig(noIdentity)).toThrow(/SERVICE_PRIVATE_KEY: missing/);
  });
});
