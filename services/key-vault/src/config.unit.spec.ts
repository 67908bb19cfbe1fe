// Does the key-vault boot configuration accept a good environment and name every bad variable (never a value)?
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ConfigError } from '@enclave/platform';
import { loadKeyVaultConfig, loadStorageConfig } from './config';

const kek = randomBytes(32).toString('base64');
const fingerprintKey = randomBytes(32).toString('base64');
const gateway = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

const good = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/',
  KAFKA_BROKERS: '127.0.0.1:9092',
  AUTH_JWKS_URL: 'http://127.0.0.1:7102/v1/auth/jwks',
  SERVICE_PUBLIC_KEYS: JSON.stringify({ 'chat-gateway': gateway }),
  KEK_KEYS: JSON.stringify({ '1': kek }),
  FINGERPRINT_KEY: fingerprintKey,
};

describe('loadKeyVaultConfig', () => {
  it('applies the local defaults', () => {
    const config = loadKeyVaultConfig(good);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 7103 });
    expect(config.grpc).toMatchObject({ enabled: true, host: '127.0.0.1', port: 7203 });
    expect(config.grpc.trust?.services).toEqual(['chat-gateway']);
    expect(config.mongo.db).toBe('enclave_key_vault');
    expect(config.kek.activeVersion).toBe(1);
    expect(config.baseUrlPolicy).toEqual({ allowPrivate: false, allowLoopback: false });
  });

  it('applies the rotation, retirement and test defaults, and reads overrides', () => {
    const config = loadKeyVaultConfig(good);
    expect(config).toMatchObject({ rotationGraceMs: 86_400_000, retirementSweepIntervalMs: 60_000, providerTestTimeoutMs: 5000, operatorToken: undefined });
    const custom = loadKeyVaultConfig({
      ...good, ROTATION_GRACE_MS: '0', RETIREMENT_SWEEP_INTERVAL_MS: '5s', PROVIDER_TEST_TIMEOUT_MS: '750ms', OPERATOR_TOKEN: 'o'.repeat(32),
    });
    expect(custom).toMatchObject({ rotationGraceMs: 0, retirementSweepIntervalMs: 5000, providerTestTimeoutMs: 750, operatorToken: 'o'.repeat(32) });
  });

  it('refuses a short operator token, a zero sweep interval and an unknown KEK provider, without echoing them', () => {
    let error: unknown;
    try {
      loadKeyVaultConfig({ ...good, OPERATOR_TOKEN: 'short-token-value', RETIREMENT_SWEEP_INTERVAL_MS: '0', KEK_PROVIDER: 'aws-kms' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['KEK_PROVIDER', 'OPERATOR_TOKEN', 'RETIREMENT_SWEEP_INTERVAL_MS']);
    expect((error as Error).message).not.toContain('short-token-value');
    expect((error as Error).message).toMatch(/KekProvider/);
  });

  it('loads the storage-only configuration of the operator CLI', () => {
    const config = loadStorageConfig({ MONGO_URL: 'mongodb://127.0.0.1:27017/', KEK_KEYS: JSON.stringify({ '1': kek, '2': kek }), KEK_ACTIVE_VERSION: '1' });
    expect(config.mongo.db).toBe('enclave_key_vault');
    expect(config.kek.activeVersion).toBe(1);
    expect(() => loadStorageConfig({ KEK_KEYS: JSON.stringify({ '1': kek }) })).toThrow(/MONGO_URL/);
  });

  it('reads the base URL policy switches', () => {
    const config = loadKeyVaultConfig({ ...good, ALLOW_PRIVATE_BASE_URLS: 'true', ALLOW_LOOPBACK_BASE_URLS: 'true' });
    expect(config.baseUrlPolicy).toEqual({ allowPrivate: true, allowLoopback: true });
  });

  it('lists every bad variable at once, without any value', () => {
    let error: unknown;
    try {
      loadKeyVaultConfig({
        ...good,
        MONGO_URL: undefined,
        FINGERPRINT_KEY: 'c2hvcnQ=',
        KEK_KEYS: JSON.stringify({ '1': randomBytes(31).toString('base64') }),
        ALLOW_PRIVATE_BASE_URLS: 'yes',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((p) => p.variable);
    expect(variables).toEqual(['ALLOW_PRIVATE_BASE_URLS', 'FINGERPRINT_KEY', 'KEK_KEYS', 'MONGO_URL']);
    expect((error as Error).message).not.toContain('c2hvcnQ=');
  });

  it('needs SERVICE_PUBLIC_KEYS only with gRPC and KAFKA_BROKERS only with Kafka', () => {
    expect(() => loadKeyVaultConfig({ ...good, SERVICE_PUBLIC_KEYS: undefined })).toThrow(/SERVICE_PUBLIC_KEYS/);
    expect(() => loadKeyVaultConfig({ ...good, KAFKA_BROKERS: undefined })).toThrow(/KAFKA_BROKERS/);
    const minimal = loadKeyVaultConfig({ ...good, SERVICE_PUBLIC_KEYS: undefined, KAFKA_BROKERS: undefined, GRPC_ENABLED: 'false', KAFKA_ENABLED: 'false' });
    expect(minimal.grpc.enabled).toBe(false);
    expect(minimal.kafka.enabled).toBe(false);
  });
});
