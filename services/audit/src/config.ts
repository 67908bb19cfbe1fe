import { z } from 'zod';
import type { KeyObject } from 'node:crypto';
import { boolVar, durationMsVar, ed25519PrivateKeyVar, listVar, loadConfig, portVar, urlVar } from '@enclave/platform';

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
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_ENABLED && !env.KAFKA_BROKERS) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'required unless KAFKA_ENABLED=false' });
    }
  });

export interface AuditConfig {
  http: { host: string; port: number };
  kafka: { enabled: boolean; brokers: string[]; groupId: string };
  mongo: { url: string; db: string };
  logLevel: z.output<typeof schema>['LOG_LEVEL'];
  authJwksUrl: string;
  otlpEndpoint: string | undefined;
  checkpoints: { signingKey: KeyObject; intervalMs: number };
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
  };
}
