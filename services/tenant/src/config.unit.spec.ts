// Does the tenant config accept a complete environment and name every missing or malformed variable without echoing values?
import { ConfigError, generateServiceKeypair } from '@enclave/platform';
import { loadTenantConfig } from './config';

const tenantKey = generateServiceKeypair();
const gatewayKey = generateServiceKeypair();
const complete = {
  MONGO_URL: 'mongodb://127.0.0.1:27027/',
  KAFKA_BROKERS: '127.0.0.1:19092, 127.0.0.1:19093',
  SERVICE_PRIVATE_KEY: tenantKey.privateKey,
  SERVICE_PUBLIC_KEYS: JSON.stringify({ 'chat-gateway': gatewayKey.publicKey }),
  AUTH_JWKS_URL: 'http://127.0.0.1:7102/v1/auth/jwks',
  AUTH_GRPC_ADDR: '127.0.0.1:7202',
  REDIS_URL: 'redis://127.0.0.1:16379',
  SIGN_UP_HASH_KEY: Buffer.alloc(32, 5).toString('base64'),
};
const operatorToken = 'op-token-0123456789abcdefghijklmnopqrstuvwxyz';

it('loads a complete environment with the documented defaults', () => {
  const config = loadTenantConfig(complete);
  expect(config).toMatchObject({
    http: { host: '127.0.0.1', port: 7101 },
    grpc: { enabled: true, host: '127.0.0.1', port: 7201 },
    kafka: { enabled: true, brokers: ['127.0.0.1:19092', '127.0.0.1:19093'] },
    mongo: { db: 'enclave_tenant' },
    authGrpc: { address: '127.0.0.1:7202', deadlineMs: 5000 },
    defaultModel: 'gpt-4o-mini',
    redisUrl: 'redis://127.0.0.1:16379',
    signUp: {
      mode: 'open',
      operatorToken: undefined,
      hashKey: Buffer.alloc(32, 5),
      perIp: { limit: 10, windowMs: 3_600_000 },
      perEmail: { limit: 3, windowMs: 3_600_000 },
    },
  });
  expect(config.http.trustProxy).toBe(false);
  expect(config.grpc.trust?.services).toEqual(['chat-gateway']);
});

it('names every missing variable', () => {
  expect(() => loadTenantConfig({})).toThrow(ConfigError);
  try {
    loadTenantConfig({});
  } catch (error) {
    const names = (error as ConfigError).problems.map((p) => p.variable);
    expect(names).toEqual(['AUTH_GRPC_ADDR', 'AUTH_JWKS_URL', 'MONGO_URL', 'REDIS_URL', 'SERVICE_PRIVATE_KEY', 'SIGN_UP_HASH_KEY']);
  }
});

it('requires brokers and trusted keys only for the parts that are switched on', () => {
  const { KAFKA_BROKERS: _k, SERVICE_PUBLIC_KEYS: _s, ...rest } = complete;
  expect(() => loadTenantConfig(rest)).toThrow(/KAFKA_BROKERS[\s\S]*SERVICE_PUBLIC_KEYS|SERVICE_PUBLIC_KEYS[\s\S]*KAFKA_BROKERS/);
  expect(loadTenantConfig({ ...rest, KAFKA_ENABLED: 'false', GRPC_ENABLED: 'false' })).toMatchObject({ kafka: { enabled: false }, grpc: { enabled: false } });
});

it('refuses malformed keys and values without echoing them', () => {
  const bad = { ...complete, SERVICE_PUBLIC_KEYS: '{"chat-gateway":"c2VjcmV0LXRleHQ="}', DEFAULT_MODEL: 'bad model', HTTP_PORT: '99999' };
  try {
    loadTenantConfig(bad);
    throw new Error('expected a ConfigError');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/SERVICE_PUBLIC_KEYS: malformed/);
    expect(message).toMatch(/DEFAULT_MODEL: malformed/);
    expect(message).toMatch(/HTTP_PORT: malformed/);
    expect(message).not.toContain('c2VjcmV0LXRleHQ=');
    expect(message).not.toContain('bad model');
  }
});

it('switches sign-up to operator-only, which needs an operator token of at least 32 characters', () => {
  expect(() => loadTenantConfig({ ...complete, SIGN_UP_MODE: 'operator' })).toThrow(/OPERATOR_TOKEN: missing/);
  expect(() => loadTenantConfig({ ...complete, SIGN_UP_MODE: 'operator', OPERATOR_TOKEN: 'short-secret' })).toThrow(/OPERATOR_TOKEN/);
  try {
    loadTenantConfig({ ...complete, SIGN_UP_MODE: 'operator', OPERATOR_TOKEN: 'short-secret' });
  } catch (error) {
    expect((error as Error).message).not.toContain('short-secret');
  }
  const config = loadTenantConfig({ ...complete, SIGN_UP_MODE: 'operator', OPERATOR_TOKEN: operatorToken, SIGN_UP_LIMIT_PER_EMAIL: '2', SIGN_UP_LIMIT_WINDOW_MS: '10m', TRUST_PROXY: 'true' });
  expect(config.signUp).toMatchObject({ mode: 'operator', operatorToken, perEmail: { limit: 2, windowMs: 600_000 }, perIp: { limit: 10, windowMs: 600_000 } });
  expect(config.http.trustProxy).toBe(true);
  expect(() => loadTenantConfig({ ...complete, SIGN_UP_LIMIT_PER_IP: '0', SIGN_UP_MODE: 'anyone' })).toThrow(/SIGN_UP_LIMIT_PER_IP[\s\S]*SIGN_UP_MODE/);
});
