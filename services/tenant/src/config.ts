import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  base64KeyVar,
  boolVar,
  durationMsVar,
  ed25519PrivateKeyVar,
  intVar,
  listVar,
  loadConfig,
  portVar,
  serviceTrustVar,
  type ServiceTrust,
  urlVar,
} from '@enclave/platform';
import type { SignUpPolicy } from './application';
import { MODEL_NAME } from './domain';

const positiveInt = () => intVar().refine((n) => n > 0, 'expected a positive integer');
const positiveDuration = () => durationMsVar().refine((n) => n > 0, 'expected a positive duration');
const hostPort = () => z.string().trim().regex(/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, 'expected host:port');

const schema = z
  .object({
    HTTP_HOST: z.string().trim().default('127.0.0.1'),
    HTTP_PORT: portVar().default(7101),
    TRUST_PROXY: boolVar().default(false),
    GRPC_HOST: z.string().trim().optional(),
    GRPC_PORT: portVar().default(7201),
    GRPC_ENABLED: boolVar().default(true),
    KAFKA_ENABLED: boolVar().default(true),
    MONGO_URL: urlVar(['mongodb', 'mongodb+srv']),
    MONGO_DB: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected a database name').default('enclave_tenant'),
    KAFKA_BROKERS: listVar().optional(),
    KAFKA_GROUP_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected a consumer group name').default('tenant-projections'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SERVICE_PRIVATE_KEY: ed25519PrivateKeyVar(),
    SERVICE_PUBLIC_KEYS: serviceTrustVar().optional(),
    AUTH_JWKS_URL: urlVar(['http', 'https']),
    AUTH_GRPC_ADDR: hostPort(),
    AUTH_GRPC_DEADLINE: durationMsVar().default(5000),
    DEFAULT_MODEL: z.string().trim().regex(MODEL_NAME, 'expected a model name of A-Z a-z 0-9 . _ : / -').default('gpt-4o-mini'),
    REDIS_URL: urlVar(['redis', 'rediss']),
    SIGN_UP_MODE: z.enum(['open', 'operator']).default('open'),
    OPERATOR_TOKEN: z.string().trim().min(32, 'expected at least 32 characters').optional(),
    SIGN_UP_HASH_KEY: base64KeyVar(32),
    SIGN_UP_LIMIT_PER_IP: positiveInt().default(10),
    SIGN_UP_LIMIT_PER_EMAIL: positiveInt().default(3),
    SIGN_UP_LIMIT_WINDOW_MS: positiveDuration().default(3_600_000),
    OTEL_EXPORTER_OTLP_ENDPOINT: urlVar(['http', 'https']).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_ENABLED && !env.KAFKA_BROKERS) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'required unless KAFKA_ENABLED=false' });
    }
    if (env.GRPC_ENABLED && !env.SERVICE_PUBLIC_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['SERVICE_PUBLIC_KEYS'], message: 'required unless GRPC_ENABLED=false' });
    }
    if (env.SIGN_UP_MODE === 'operator' && !env.OPERATOR_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['OPERATOR_TOKEN'], message: 'required when SIGN_UP_MODE=operator' });
    }
  });

export interface TenantConfig {
  http: { host: string; port: number; trustProxy: boolean };
  grpc: { enabled: boolean; host: string; port: number; trust: ServiceTrust | undefined };
  kafka: { enabled: boolean; brokers: string[]; groupId: string };
  mongo: { url: string; db: string };
  logLevel: z.output<typeof schema>['LOG_LEVEL'];
  servicePrivateKey: KeyObject;
  authJwksUrl: string;
  authGrpc: { address: string; deadlineMs: number };
  defaultModel: string;
  redisUrl: string;
  signUp: SignUpPolicy;
  otlpEndpoint: string | undefined;
}

/** Validates the environment once at boot; a ConfigError names every bad variable. */
export function loadTenantConfig(env: NodeJS.ProcessEnv = process.env): TenantConfig {
  const c = loadConfig(schema, env);
  return {
    http: { host: c.HTTP_HOST, port: c.HTTP_PORT, trustProxy: c.TRUST_PROXY },
    grpc: { enabled: c.GRPC_ENABLED, host: c.GRPC_HOST ?? c.HTTP_HOST, port: c.GRPC_PORT, trust: c.SERVICE_PUBLIC_KEYS },
    kafka: { enabled: c.KAFKA_ENABLED, brokers: c.KAFKA_BROKERS ?? [], groupId: c.KAFKA_GROUP_ID },
    mongo: { url: c.MONGO_URL, db: c.MONGO_DB },
    logLevel: c.LOG_LEVEL,
    servicePrivateKey: c.SERVICE_PRIVATE_KEY,
    authJwksUrl: c.AUTH_JWKS_URL,
    authGrpc: { address: c.AUTH_GRPC_ADDR, deadlineMs: c.AUTH_GRPC_DEADLINE },
    defaultModel: c.DEFAULT_MODEL,
    redisUrl: c.REDIS_URL,
    signUp: {
      mode: c.SIGN_UP_MODE,
      operatorToken: c.OPERATOR_TOKEN,
      hashKey: c.SIGN_UP_HASH_KEY,
      perIp: { limit: c.SIGN_UP_LIMIT_PER_IP, windowMs: c.SIGN_UP_LIMIT_WINDOW_MS },
      perEmail: { limit: c.SIGN_UP_LIMIT_PER_EMAIL, windowMs: c.SIGN_UP_LIMIT_WINDOW_MS },
    },
    otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}
