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
};

it('loads a complete environment with the documented defaults', () => {
  const config = loadTenantConfig(complete);
  expect(config).toMatchObject({
    http: { host: '127.0.0.1', port: 7101 },
    grpc: { enabled: true, host: '127.0.0.1', port: 7201 },
    kafka: { enabled: true, brokers: ['127.0.0.1:19092', '127.0.0.1:19093'] },
    mongo: { db: 'enclave_tenant' },
    authGrpc: { address: '127.0.0.1:7202', deadlineMs: 5000 },
    defaultModel: 'gpt-4o-mini',
  });
  expect(config.grpc.trust?.services).toEqual(['chat-gateway']);
});

it('names every missing variable', () => {
  expect(() => loadTenantConfig({})).toThrow(ConfigError);
  try {
    loadTenantConfig({});
  } catch (error) {
    const names = (error as ConfigError).problems.map((p) => p.variable);
    expect(names).toEqual(['AUTH_GRPC_ADDR', 'AUTH_JWKS_URL', 'MONGO_URL', 'SERVICE_PRIVATE_KEY']);
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
