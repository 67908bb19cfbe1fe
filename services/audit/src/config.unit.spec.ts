// Does audit's configuration accept a valid environment and name every bad variable without its value?
import { ConfigError } from '@enclave/platform';
import { loadAuditConfig } from './config';

const valid = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/',
  KAFKA_BROKERS: '127.0.0.1:9092',
  AUTH_JWKS_URL: 'http://127.0.0.1:7102/v1/auth/jwks',
};

describe('loadAuditConfig', () => {
  it('applies the defaults: port 7106, db enclave_audit, group audit', () => {
    const config = loadAuditConfig(valid);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 7106 });
    expect(config.mongo.db).toBe('enclave_audit');
    expect(config.kafka).toEqual({ enabled: true, brokers: ['127.0.0.1:9092'], groupId: 'audit' });
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
});
