import { z } from 'zod';
import {
  base64KeyVar,
  boolVar,
  ConfigError,
  listVar,
  loadConfig,
  portVar,
  ServiceTrust,
  urlVar,
  type ConfigProblem,
} from '@enclave/platform';
import type { BaseUrlPolicy } from './domain/ssrf/base-url-policy';
import { loadKekKeyring, type KekKeyring } from './infrastructure/kek/kek-keyring';

export const SERVICE_NAME = 'key-vault';
/** The only service identity that may obtain plaintext provider keys. */
export const CREDENTIAL_CALLERS = ['chat-gateway'] as const;

/** SERVICE_PUBLIC_KEYS: JSON object service name → base64 SPKI DER Ed25519 public key(s). */
function serviceTrustJsonVar() {
  return z.string().transform((text, ctx): ServiceTrust => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      const entries = Object.entries(parsed as Record<string, unknown>);
      if (entries.some(([, key]) => typeof key !== 'string' && !(Array.isArray(key) && key.every((k) => typeof k === 'string')))) {
        throw new Error('not strings');
      }
      return new ServiceTrust(Object.fromEntries(entries) as Record<string, string | string[]>);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object of service name → base64 SPKI Ed25519 public key' });
      return z.NEVER;
    }
  });
}

const schema = z
  .object({
    HTTP_HOST: z.string().trim().default('127.0.0.1'),
    HTTP_PORT: portVar().default(7103),
    GRPC_HOST: z.string().trim().optional(),
    GRPC_PORT: portVar().default(7203),
    GRPC_ENABLED: boolVar().default(true),
    KAFKA_ENABLED: boolVar().default(true),
    MONGO_URL: urlVar(['mongodb', 'mongodb+srv']),
    MONGO_DB: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected a database name').default('enclave_key_vault'),
    KAFKA_BROKERS: listVar().optional(),
    KAFKA_CLIENT_ID: z.string().trim().default('key-vault'),
    KAFKA_GROUP_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected a consumer group name').default('key-vault-projection-repair'),
    PROJECTION_REPAIR_ENABLED: boolVar().default(true),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SERVICE_PUBLIC_KEYS: serviceTrustJsonVar().optional(),
    AUTH_JWKS_URL: urlVar(['http', 'https']),
    FINGERPRINT_KEY: base64KeyVar(32),
    ALLOW_PRIVATE_BASE_URLS: boolVar().default(false),
    ALLOW_LOOPBACK_BASE_URLS: boolVar().default(false),
    OTEL_EXPORTER_OTLP_ENDPOINT: urlVar(['http', 'https']).optional(),
    METRICS_PORT: portVar().optional(),
  });

/** Variables required only when a part is switched on; checked on the raw environment so they are
 * reported together with every other problem. */
function conditionalProblems(env: NodeJS.ProcessEnv): ConfigProblem[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: ConfigProblem[] = [];
  if (env.KAFKA_ENABLED?.trim() !== 'false' && !set('KAFKA_BROKERS')) {
    problems.push({ variable: 'KAFKA_BROKERS', reason: 'missing (required unless KAFKA_ENABLED=false)' });
  }
  if (env.GRPC_ENABLED?.trim() !== 'false' && !set('SERVICE_PUBLIC_KEYS')) {
    problems.push({ variable: 'SERVICE_PUBLIC_KEYS', reason: 'missing (required unless GRPC_ENABLED=false)' });
  }
  return problems;
}

export interface KeyVaultConfig {
  http: { host: string; port: number };
  grpc: { enabled: boolean; host: string; port: number; trust: ServiceTrust | undefined };
  kafka: { enabled: boolean; brokers: string[]; clientId: string; groupId: string; projectionRepair: boolean };
  mongo: { url: string; db: string };
  logLevel: z.output<typeof schema>['LOG_LEVEL'];
  authJwksUrl: string;
  kek: KekKeyring;
  fingerprintKey: Buffer;
  baseUrlPolicy: BaseUrlPolicy;
  otlpEndpoint: string | undefined;
  metricsPort: number | undefined;
}

/** Validates the environment once at boot; a ConfigError names every bad variable (never a value). */
export function loadKeyVaultConfig(env: NodeJS.ProcessEnv = process.env, readFile?: (path: string) => string): KeyVaultConfig {
  const problems: ConfigProblem[] = conditionalProblems(env);
  let c: z.output<typeof schema> | undefined;
  let kek: KekKeyring | undefined;
  try {
    c = loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  try {
    kek = loadKekKeyring(env, readFile);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (!c || !kek || problems.length > 0) throw new ConfigError(problems.sort((a, b) => a.variable.localeCompare(b.variable)));
  return {
    http: { host: c.HTTP_HOST, port: c.HTTP_PORT },
    grpc: { enabled: c.GRPC_ENABLED, host: c.GRPC_HOST ?? c.HTTP_HOST, port: c.GRPC_PORT, trust: c.SERVICE_PUBLIC_KEYS },
    kafka: {
      enabled: c.KAFKA_ENABLED,
      brokers: c.KAFKA_BROKERS ?? [],
      clientId: c.KAFKA_CLIENT_ID,
      groupId: c.KAFKA_GROUP_ID,
      projectionRepair: c.PROJECTION_REPAIR_ENABLED,
    },
    mongo: { url: c.MONGO_URL, db: c.MONGO_DB },
    logLevel: c.LOG_LEVEL,
    authJwksUrl: c.AUTH_JWKS_URL,
    kek,
    fingerprintKey: c.FINGERPRINT_KEY,
    baseUrlPolicy: { allowPrivate: c.ALLOW_PRIVATE_BASE_URLS, allowLoopback: c.ALLOW_LOOPBACK_BASE_URLS },
    otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
    metricsPort: c.METRICS_PORT,
  };
}
