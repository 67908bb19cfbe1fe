import { z } from 'zod';
import { boolVar, durationMsVar, intVar, listVar, loadConfig, portVar, serviceTrustVar, urlVar, type ServiceTrust } from '@enclave/platform';
import type { MonthlyTokenQuota } from './quota/domain/quota-status';

const schema = z
  .object({
    HTTP_HOST: z.string().trim().default('127.0.0.1'),
    HTTP_PORT: portVar().default(7105),
    GRPC_HOST: z.string().trim().optional(),
    GRPC_PORT: portVar().default(7205),
    GRPC_ENABLED: boolVar().default(false),
    SERVICE_PUBLIC_KEYS: serviceTrustVar().optional(),
    RETENTION_INTERVAL_MS: durationMsVar().default(3_600_000),
    KAFKA_ENABLED: boolVar().default(true),
    KAFKA_BROKERS: listVar().optional(),
    KAFKA_GROUP_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected a consumer group name').default('billing'),
    MONGO_URL: urlVar(['mongodb', 'mongodb+srv']),
    MONGO_DB: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected a database name').default('enclave_billing'),
    REDIS_URL: urlVar(['redis', 'rediss']),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    AUTH_JWKS_URL: urlVar(['http', 'https']),
    OPERATOR_TOKEN: z.string().trim().min(16, 'expected at least 16 characters'),
    DEFAULT_MONTHLY_TOKEN_QUOTA: intVar().refine(Number.isSafeInteger, 'expected a safe integer').default(0),
    OTEL_EXPORTER_OTLP_ENDPOINT: urlVar(['http', 'https']).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_ENABLED && !env.KAFKA_BROKERS) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'required unless KAFKA_ENABLED=false' });
    }
    if (env.GRPC_ENABLED && !env.SERVICE_PUBLIC_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['SERVICE_PUBLIC_KEYS'], message: 'required when GRPC_ENABLED=true' });
    }
    if (env.RETENTION_INTERVAL_MS < 1000) {
      ctx.addIssue({ code: 'custom', path: ['RETENTION_INTERVAL_MS'], message: 'expected at least 1000 ms' });
    }
  });

export interface BillingConfig {
  http: { host: string; port: number };
  /** SubjectDataService for audit; off unless GRPC_ENABLED=true. */
  grpc: { enabled: boolean; host: string; port: number; trust: ServiceTrust | undefined };
  /** How often per-member usage detail past its retention period is deleted. */
  retentionIntervalMs: number;
  kafka: { enabled: boolean; brokers: string[]; groupId: string };
  mongo: { url: string; db: string };
  redisUrl: string;
  logLevel: z.output<typeof schema>['LOG_LEVEL'];
  authJwksUrl: string;
  operatorToken: string;
  /** DEFAULT_MONTHLY_TOKEN_QUOTA; 0 or unset = unlimited (null). */
  defaultMonthlyTokenQuota: MonthlyTokenQuota;
  otlpEndpoint: string | undefined;
}

/** Validates the environment once at boot; a ConfigError names every bad variable, never a value. */
export function loadBillingConfig(env: NodeJS.ProcessEnv = process.env): BillingConfig {
  const c = loadConfig(schema, env);
  return {
    http: { host: c.HTTP_HOST, port: c.HTTP_PORT },
    grpc: { enabled: c.GRPC_ENABLED, host: c.GRPC_HOST ?? c.HTTP_HOST, port: c.GRPC_PORT, trust: c.SERVICE_PUBLIC_KEYS },
    retentionIntervalMs: c.RETENTION_INTERVAL_MS,
    kafka: { enabled: c.KAFKA_ENABLED, brokers: c.KAFKA_BROKERS ?? [], groupId: c.KAFKA_GROUP_ID },
    mongo: { url: c.MONGO_URL, db: c.MONGO_DB },
    redisUrl: c.REDIS_URL,
    logLevel: c.LOG_LEVEL,
    authJwksUrl: c.AUTH_JWKS_URL,
    operatorToken: c.OPERATOR_TOKEN,
    defaultMonthlyTokenQuota: c.DEFAULT_MONTHLY_TOKEN_QUOTA > 0 ? c.DEFAULT_MONTHLY_TOKEN_QUOTA : null,
    otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}
