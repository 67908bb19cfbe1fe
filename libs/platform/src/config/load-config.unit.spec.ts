// Does loadConfig type the environment and name every bad variable and why, without its value?
import { z } from 'zod';
import { generateServiceKeypair } from '../identity/keys';
import { ConfigError } from './config-error';
import { base64KeyVar, boolVar, durationMsVar, intVar, listVar, portVar, urlVar } from './env-vars';
import { ed25519PrivateKeyVar, serviceTrustVar } from './key-vars';
import { loadConfig } from './load-config';

const schema = z.object({
  PORT: portVar().default(3000),
  MONGO_URL: urlVar(['mongodb']),
  KAFKA_BROKERS: listVar(),
  GRPC_ENABLED: boolVar().default(true),
  TOKEN_TTL: durationMsVar(),
  VAULT_KEY: base64KeyVar(32),
  WORKERS: intVar().optional(),
});

const good = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/auth',
  KAFKA_BROKERS: 'a:9092, b:9092,',
  TOKEN_TTL: '15m',
  VAULT_KEY: Buffer.alloc(32, 7).toString('base64'),
};

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('returns typed values with defaults applied and empty strings treated as unset', () => {
    const config = loadConfig(schema, { ...good, PORT: '', UNRELATED: 'x' });
    expect(config).toEqual({
      PORT: 3000,
      MONGO_URL: good.MONGO_URL,
      KAFKA_BROKERS: ['a:9092', 'b:9092'],
      GRPC_ENABLED: true,
      TOKEN_TTL: 900_000,
      VAULT_KEY: Buffer.alloc(32, 7),
    });
  });

  it('lists every bad variable by name with why, and never a value', () => {
    const secretish = Buffer.from('super-secret-value-of-the-wrong-size').toString('base64');
    const error = configError(() =>
      loadConfig(schema, { PORT: '99999', MONGO_URL: 'http://user:pw@host', GRPC_ENABLED: 'yes', TOKEN_TTL: '10 parsecs', VAULT_KEY: secretish }),
    );
    expect(error.problems.map((p) => p.variable)).toEqual(['GRPC_ENABLED', 'KAFKA_BROKERS', 'MONGO_URL', 'PORT', 'TOKEN_TTL', 'VAULT_KEY']);
    expect(error.message).toContain('KAFKA_BROKERS: missing');
    expect(error.message).toMatch(/PORT: malformed \(expected a port number 0-65535\)/);
    expect(error.message).toMatch(/MONGO_URL: malformed \(expected a mongodb URL\)/);
    expect(error.message).toMatch(/GRPC_ENABLED: malformed \(expected 'true' or 'false'\)/);
    expect(error.message).toMatch(/VAULT_KEY: malformed \(expected base64 encoding exactly 32 bytes\)/);
    for (const value of [secretish, 'user:pw', '99999', 'yes', 'parsecs']) expect(error.message).not.toContain(value);
  });

  it('parses durations in every unit', () => {
    const s = z.object({ D: durationMsVar() });
    expect(['250', '250ms', '2s', '3m', '1h', '1d'].map((D) => loadConfig(s, { D }).D)).toEqual([250, 250, 2000, 180_000, 3_600_000, 86_400_000]);
  });

  it('rejects base64 of the wrong length and non-canonical base64', () => {
    const s = z.object({ K: base64KeyVar(16) });
    expect(loadConfig(s, { K: Buffer.alloc(16, 1).toString('base64') }).K).toHaveLength(16);
    expect(() => loadConfig(s, { K: Buffer.alloc(15).toString('base64') })).toThrow(ConfigError);
    expect(() => loadConfig(s, { K: 'not base64!!' })).toThrow(ConfigError);
  });

  it('parses Ed25519 keys and service trust, naming the variable but not the key when bad', () => {
    const pair = generateServiceKeypair();
    const s = z.object({ SERVICE_PRIVATE_KEY: ed25519PrivateKeyVar(), SERVICE_TRUST: serviceTrustVar() });
    const config = loadConfig(s, { SERVICE_PRIVATE_KEY: pair.privateKey, SERVICE_TRUST: `chat-gateway:${pair.publicKey}` });
    expect(config.SERVICE_PRIVATE_KEY.asymmetricKeyType).toBe('ed25519');
    expect(config.SERVICE_TRUST.services).toEqual(['chat-gateway']);

    const error = configError(() => loadConfig(s, { SERVICE_PRIVATE_KEY: pair.publicKey, SERVICE_TRUST: pair.publicKey }));
    expect(error.message).toMatch(/SERVICE_PRIVATE_KEY: malformed \(private key could not be parsed/);
    expect(error.message).toMatch(/SERVICE_TRUST: malformed \(expected comma separated/);
    expect(error.message).not.toContain(pair.publicKey);
  });
});
