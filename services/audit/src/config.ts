import { z } from 'zod';
import type { KeyObject } from 'node:crypto';
import { boolVar, durationMsVar, ed25519PrivateKeyVar, intVar, listVar, loadConfig, portVar, urlVar } from '@enclave/platform';

const hostPort = () => z.string().trim().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'expected host:port');

const schema = z
  .object({
    HTTP_HOST: z.string().trim().default('127.0.0.1'),
    HTTP_PORT: portVar().default(7106),
    KAFKA_ENABLED: boolVar().default(true),
    KAFKA_BROKERS: listVar().optional(),
    KAFKA_GROUP_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected a consumer group name').default('audit'),
    MONGO_URL: urlVar(['mongodb', 'mongodb+srv']),
    MONGO_DB: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected a database name').default('enclave_audit'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    AUTH_JWKS_URL: urlVar(['http', 'https']),
    OTEL_EXPORTER_OTLP_ENDPOINT: urlVar(['http', 'https']).optional(),
    // The log's Ed25519 checkpoint signing key: base64 PKCS#8 DER (or PEM). Its public half is
    // served at GET /v1/audit/public-key; keep it stable, verifiers pin it.
    CHECKPOINT_SIGNING_KEY: ed25519PrivateKeyVar(),
    // How often a checkpoint is signed for each tenant whose log grew; 0 turns the schedule off.
    CHECKPOINT_INTERVAL_MS: durationMsVar().default(60_000),
    // Audit's service identity (Ed25519, base64 PKCS#8 DER or PEM): it calls every data service's
    // SubjectDataService for exports and key-vault's SubjectKeyService to open sealed fields.
    SERVICE_PRIVATE_KEY: ed25519PrivateKeyVar(),
    AUTH_GRPC_ADDR: hostPort(),
    TENANT_GRPC_ADDR: hostPort(),
    KEY_VAULT_GRPC_ADDR: hostPort(),
    CHAT_GATEWAY_GRPC_ADDR: hostPort(),
    BILLING_GRPC_ADDR: hostPort(),
    // Deadline of each export / subject key call.
    GRPC_DEADLINE_MS: durationMsVar().default(5_000),
    // Days an erasure waits (account frozen, cancellable) before the purge is requested.
    ERASURE_GRACE_DAYS: intVar().refine((n) => n >= 0 && n <= 365, 'expected 0 to 365 days').default(30),
    // How often the privacy jobs run (purges due, confirmations, rectifications); 0 turns them off.
    PRIVACY_JOBS_INTERVAL_MS: durationMsVar().default(60_000),
    // PUT /v1/test/clock shifts the privacy clock: loopback test stacks only, never in production.
    TEST_CLOCK_ENABLED: boolVar().default(false),
    NODE_ENV: z.string().trim().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_ENABLED && !env.KAFKA_BROKERS) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'required unless KAFKA_ENABLED=false' });
    }
    if (env.TEST_CLOCK_ENABLED && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['TEST_CLOCK_ENABLED'], message: 'must not be true when NODE_ENV=production' });
    }
    if (env.GRPC_DEADLINE_MS <= 0) ctx.addIssue({ code: 'custom', path: ['GRPC_DEADLINE_MS'], message: 'must be positive' });
  });

export interface AuditConfig {
  http: { host: string; port: number };
  kafka: { enabled: boolean; brokers: string[]; groupId: string };
  mongo: { url: string; db: string };
  logLevel: z.output<typeof schema>['LOG_LEVEL'];
  authJwksUrl: string;
  otlpEndpoint: string | undefined;
  checkpoints: { signingKey: KeyObject; intervalMs: number };
  servicePrivateKey: KeyObject;
  /** SubjectDataService address of each data service, by service name. */
  dataServices: Record<'auth' | 'tenant' | 'key-vault' | 'chat-gateway' | 'billing', string>;
  grpcDeadlineMs: number;
  privacy: { graceDays: number; jobsIntervalMs: number; testClockEnabled: boolean };
}

/** Validates the environment once at boot; a ConfigError names every bad variable, never a value. */
export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const c = loadConfig(schema, env);
  return {
    http: { host: c.HTTP_HOST, port: c.HTTP_PORT },
    kafka: { enabled: c.KAFKA_ENABLED, brokers: c.KAFKA_BROKERS ?? [], groupId: c.KAFKA_GROUP_ID },
    mongo: { url: c.MONGO_URL, db: c.MONGO_DB },
    logLevel: c.LOG_LEVEL,
    authJwksUrl: c.AUTH_JWKS_URL,
    otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
    checkpoints: { signingKey: c.CHECKPOINT_SIGNING_KEY, intervalMs: c.CHECKPOINT_INTERVAL_MS },
    servicePrivateKey: c.SERVICE_PRIVATE_KEY,
    dataServices: {
      auth: c.AUTH_GRPC_ADDR,
      tenant: c.TENANT_GRPC_ADDR,
      'key-vault': c.KEY_VAULT_GRPC_ADDR,
      'chat-gateway': c.CHAT_GATEWAY_GRPC_ADDR,
      billing: c.BILLING_GRPC_ADDR,
    },
    grpcDeadlineMs: c.GRPC_DEADLINE_MS,
    privacy: { graceDays: c.ERASURE_GRACE_DAYS, jobsIntervalMs: c.PRIVACY_JOBS_INTERVAL_MS, testClockEnabled: c.TEST_CLOCK_ENABLED },
  };
}
