import { z } from 'zod';
import {
  base64KeyVar,
  boolVar,
  ConfigError,
  durationMsVar,
  listVar,
  loadConfig,
  portVar,
  serviceTrustVar,
  type ServiceTrust,
  urlVar,
  type BaseUrlPolicy,
  type ConfigProblem,
} from '@enclave/platform';
import { loadKekKeyring, type KekKeyring } from './infrastructure/kek/kek-keyring';

export const SERVICE_NAME = 'key-vault';
/** The only service identity that may obtain plaintext provider keys. */
export const CREDENTIAL_CALLERS = ['chat-gateway'] as const;
/** The only service identity that may obtain SMTP passwords and OIDC client secrets. */
export const TENANT_SECRET_CALLERS = ['auth'] as const;
/** The service identities that seal or open personal fields with a person's key. */
export const SUBJECT_KEY_CALLERS = ['auth', 'chat-gateway', 'audit'] as const;
/** Only audit assembles a person's access export. */
export const SUBJECT_DATA_CALLERS = ['audit'] as const;

const positiveDuration = () => durationMsVar().refine((ms) => ms > 0, 'expected a duration above zero');

/** What the operator CLI needs (no HTTP, gRPC, Kafka or sessions). */
const storageSchema = z.object({
  MONGO_URL: urlVar(['mongodb', 'mongodb+srv']),
  MONGO_DB: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected a database name').default('enclave_key_vault'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KEK_PROVIDER: z
    .enum(['local'], { error: "only 'local' is built in (a cloud KMS adapter implements KekProvider and is passed to startKeyVault)" })
    .default('local'),
});

const schema = storageSchema
  .extend({
    HTTP_HOST: z.string().trim().default('127.0.0.1'),
    HTTP_PORT: portVar().default(7103),
    GRPC_HOST: z.string().trim().optional(),
    GRPC_PORT: portVar().default(7203),
    GRPC_ENABLED: boolVar().default(true),
    KAFKA_ENABLED: boolVar().default(true),
    KAFKA_BROKERS: listVar().optional(),
    KAFKA_CLIENT_ID: z.string().trim().default('key-vault'),
    KAFKA_GROUP_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected a consumer group name').default('key-vault-projection-repair'),
    PROJECTION_REPAIR_ENABLED: boolVar().default(true),
    /** Consume audit's topic and shred a person's key on SubjectPurgeRequested (erasure). */
    SUBJECT_PURGE_ENABLED: boolVar().default(true),
    SERVICE_PUBLIC_KEYS: serviceTrustVar().optional(),
    AUTH_JWKS_URL: urlVar(['http', 'https']),
    FINGERPRINT_KEY: base64KeyVar(32),
    ALLOW_PRIVATE_BASE_URLS: boolVar().default(false),
    ALLOW_LOOPBACK_BASE_URLS: boolVar().default(false),
    ROTATION_GRACE_MS: durationMsVar().default(86_400_000),
    RETIREMENT_SWEEP_INTERVAL_MS: positiveDuration().default(60_000),
    PROVIDER_TEST_TIMEOUT_MS: positiveDuration().default(5000),
    OPERATOR_TOKEN: z.string().trim().min(32, 'expected at least 32 characters (e.g. openssl rand -base64 32)').optional(),
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

/** Runs one loader; its ConfigError's problems join the list (so every bad variable is reported at once). */
function collectProblems<T>(problems: ConfigProblem[], load: () => T): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

export interface KeyVaultConfig {
  http: { host: string; port: number };
  grpc: { enabled: boolean; host: string; port: number; trust: ServiceTrust | undefined };
  kafka: { enabled: boolean; brokers: string[]; clientId: string; groupId: string; projectionRepair: boolean; subjectPurge: boolean };
  mongo: { url: string; db: string };
  logLevel: z.output<typeof schema>['LOG_LEVEL'];
  authJwksUrl: string;
  kek: KekKeyring;
  fingerprintKey: Buffer;
  baseUrlPolicy: BaseUrlPolicy;
  rotationGraceMs: number;
  retirementSweepIntervalMs: number;
  providerTestTimeoutMs: number;
  /** Unset: the operator API (POST /v1/admin/kek/rewrap) answers 404. */
  operatorToken: string | undefined;
  otlpEndpoint: string | undefined;
  metricsPort: number | undefined;
}

/** Validates the environment once at boot; a ConfigError names every bad variable (never a value). */
export function loadKeyVaultConfig(env: NodeJS.ProcessEnv = process.env, readFile?: (path: string) => string): KeyVaultConfig {
  const problems: ConfigProblem[] = conditionalProblems(env);
  const c = collectProblems(problems, () => loadConfig(schema, env));
  const kek = collectProblems(problems, () => loadKekKeyring(env, readFile));
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
      subjectPurge: c.SUBJECT_PURGE_ENABLED,
    },
    mongo: { url: c.MONGO_URL, db: c.MONGO_DB },
    logLevel: c.LOG_LEVEL,
    authJwksUrl: c.AUTH_JWKS_URL,
    kek,
    fingerprintKey: c.FINGERPRINT_KEY,
    baseUrlPolicy: { allowPrivate: c.ALLOW_PRIVATE_BASE_URLS, allowLoopback: c.ALLOW_LOOPBACK_BASE_URLS },
    rotationGraceMs: c.ROTATION_GRACE_MS,
    retirementSweepIntervalMs: c.RETIREMENT_SWEEP_INTERVAL_MS,
    providerTestTimeoutMs: c.PROVIDER_TEST_TIMEOUT_MS,
    operatorToken: c.OPERATOR_TOKEN,
    otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
    metricsPort: c.METRICS_PORT,
  };
}

export interface StorageConfig {
  mongo: { url: string; db: string };
  logLevel: KeyVaultConfig['logLevel'];
  kek: KekKeyring;
}

/** The operator CLI's configuration: the database and the KEK, nothing else. */
export function loadStorageConfig(env: NodeJS.ProcessEnv = process.env, readFile?: (path: string) => string): StorageConfig {
  const problems: ConfigProblem[] = [];
  const c = collectProblems(problems, () => loadConfig(storageSchema, env));
  const kek = collectProblems(problems, () => loadKekKeyring(env, readFile));
  if (!c || !kek || problems.length > 0) throw new ConfigError(problems.sort((a, b) => a.variable.localeCompare(b.variable)));
  return { mongo: { url: c.MONGO_URL, db: c.MONGO_DB }, logLevel: c.LOG_LEVEL, kek };
}
