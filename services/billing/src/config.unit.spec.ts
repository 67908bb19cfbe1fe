// Does billing's configuration accept a valid environment and name every bad variable without its value?
import { ConfigError } from '@enclave/platform';
import { loadBillingConfig } from './config';

const valid = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/',
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
  AUTH_JWKS_URL: 'http://127.0.0.1:7102/v1/auth/jwks',
  OPERATOR_TOKEN: 'operator-token-of-some-length',
};

describe('loadBillingConfig', () => {
  it('applies the defaults: port 7105, db enclave_billing, group billing, unlimited default quota', () => {
    const config = loadBillingConfig(valid);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 7105 });
    expect(config.mongo.db).toBe('enclave_billing');
    expect(config.kafka).toEqual({ enabled: true, brokers: ['127.0.0.1:9092', '127.0.0.1:9093'], groupId: 'billing' });
    expect(config.defaultMonthlyTokenQuota).toBeNull();
  });

  it('reads DEFAULT_MONTHLY_TOKEN_QUOTA, with 0 meaning unlimited', () => {
    expect(loadBillingConfig({ ...valid, DEFAULT_MONTHLY_TOKEN_QUOTA: '250000' }).defaultMonthlyTokenQuota).toBe(250_000);
    expect(loadBillingConfig({ ...valid, DEFAULT_MONTHLY_TOKEN_QUOTA: '0' }).defaultMonthlyTokenQuota).toBeNull();
  });

  it('lets KAFKA_ENABLED=false run without brokers', () => {
    const { KAFKA_BROKERS: _omitted, ...noKafka } = valid;
    expect(loadBillingConfig({ ...noKafka, KAFKA_ENABLED: 'false' }).kafka.enabled).toBe(false);
  });

  it('requires KAFKA_BROKERS while Kafka is enabled', () => {
    const { KAFKA_BROKERS: _omitted, ...noKafka } = valid;
    expect(() => loadBillingConfig(noKafka)).toThrow(/KAFKA_BROKERS: missing/);
  });

  it('names every missing or malformed variable and never echoes a value', () => {
    let error: unknown;
    try {
      loadBillingConfig({ MONGO_URL: 'not a url', OPERATOR_TOKEN: 'short-secret', DEFAULT_MONTHLY_TOKEN_QUOTA: '-5' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const variable of ['AUTH_JWKS_URL', 'DEFAULT_MONTHLY_TOKEN_QUOTA', 'MONGO_URL', 'OPERATOR_TOKEN', 'REDIS_URL']) {
      expect(message).toContain(variable);
    }
    expect(message).not.toContain('short-secret');
    expect(message).not.toContain('not a url');
  });
});

describe('loadBillingConfig: gRPC and retention', () => {
  it('keeps gRPC off by default, on port 7205 when enabled, and runs retention hourly', () => {
    const config = loadBillingConfig(valid);
    expect(config.grpc).toMatchObject({ enabled: false, port: 7205 });
    expect(config.retentionIntervalMs).toBe(3_600_000);
    expect(loadBillingConfig({ ...valid, RETENTION_INTERVAL_MS: '5m' }).retentionIntervalMs).toBe(300_000);
  });

  it('requires SERVICE_PUBLIC_KEYS when GRPC_ENABLED=true, and refuses a sub-second retention interval', () => {
    expect(() => loadBillingConfig({ ...valid, GRPC_ENABLED: 'true' })).toThrow(/SERVICE_PUBLIC_KEYS/);
    expect(() => loadBillingConfig({ ...valid, RETENTION_INTERVAL_MS: '10' })).toThrow(/RETENTION_INTERVAL_MS/);
  });
});
