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
import { MAX_ACCESS_TOKEN_TTL_MS } from '@enclave/session';
import type { LoginLinkRateLimits } from './login-links/application/rate-limiter';
import type { SmtpSettings } from './login-links/infrastructure/smtp-mailer';

export const SERVICE_NAME = 'auth';

const positiveInt = () => intVar().refine((n) => n > 0, 'expected a positive integer');
const positiveDuration = () => durationMsVar().refine((n) => n > 0, 'expected a positive duration');
const hostPort = () => z.string().trim().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'expected host:port');

const schema = z
  .object({
    HTTP_HOST: z.string().trim().default('127.0.0.1'),
    HTTP_PORT: portVar().default(7102),
    GRPC_HOST: z.string().trim().optional(),
    GRPC_PORT: portVar().default(7202),
    GRPC_ENABLED: boolVar().default(true),
    KAFKA_ENABLED: boolVar().default(true),
    KAFKA_BROKERS: listVar().optional(),
    KAFKA_GROUP_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,100}$/, 'expected a consumer group name').default('auth'),
    MONGO_URL: urlVar(['mongodb', 'mongodb+srv']),
    MONGO_DB: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected a database name').default('enclave_auth'),
    REDIS_URL: urlVar(['redis', 'rediss']),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SERVICE_PUBLIC_KEYS: serviceTrustVar().optional(),
    SERVICE_PRIVATE_KEY: ed25519PrivateKeyVar(),
    KEY_VAULT_GRPC_ADDR: hostPort(),
    KEY_VAULT_DEADLINE_MS: positiveDuration().default(3000),
    RETENTION_INTERVAL_MS: positiveDuration().default(3_600_000),
    EMAIL_HASH_KEY: base64KeyVar(32),
    IP_HASH_KEY: base64KeyVar(32),
    SESSION_SIGNING_KEY: ed25519PrivateKeyVar(),
    SESSION_KEY_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 of A-Z a-z 0-9 . _ -').optional(),
    SESSION_TTL_MS: positiveDuration().default(12 * 3_600_000),
    ACCESS_TOKEN_TTL_MS: positiveDuration()
      .refine((n) => n <= MAX_ACCESS_TOKEN_TTL_MS, `at most ${MAX_ACCESS_TOKEN_TTL_MS / 60_000} minutes (verifiers hold revocations that long)`)
      .default(5 * 60_000),
    LOGIN_LINK_TTL_MS: positiveDuration().default(15 * 60_000),
    INVITATION_TTL_MS: positiveDuration().default(72 * 3_600_000),
    LOGIN_LINK_LIMIT_PER_IP: positiveInt().default(10),
    LOGIN_LINK_LIMIT_PER_EMAIL: positiveInt().default(5),
    LOGIN_LINK_LIMIT_WINDOW_MS: positiveDuration().default(15 * 60_000),
    PUBLIC_BASE_URL: urlVar(['http', 'https']),
    MAIL_FROM: z.string().trim().min(3, 'expected a From address, e.g. "Enclave <no-reply@example.org>"'),
    SMTP_HOST: z.string().trim().min(1, 'expected a host name'),
    SMTP_PORT: portVar(),
    SMTP_SECURE: boolVar().default(false),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    COOKIE_SECURE: boolVar().default(true),
    TRUST_PROXY: boolVar().default(false),
    OTEL_EXPORTER_OTLP_ENDPOINT: urlVar(['http', 'https']).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_ENABLED && !env.KAFKA_BROKERS) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'required unless KAFKA_ENABLED=false' });
    }
    if (env.GRPC_ENABLED && !env.SERVICE_PUBLIC_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['SERVICE_PUBLIC_KEYS'], message: 'required unless GRPC_ENABLED=false' });
    }
    if (env.SMTP_PASSWORD !== undefined && env.SMTP_USER === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_USER'], message: 'required when SMTP_PASSWORD is set' });
    }
  });

/** Everything the auth use cases need to know; tests build it directly. */
export interface AuthSettings {
  emailHashKey: Buffer;
  ipHashKey: Buffer;
  sessionSigningKey: KeyObject;
  sessionKeyId: string | undefined;
  /** How long a sign-in lasts (refreshes never extend it). */
  sessionTtlMs: number;
  /** How long one access token lasts; a refresh issues the next one. */
  accessTtlMs: number;
  loginLinkTtlMs: number;
  invitationTtlMs: number;
  loginLinkLimits: LoginLinkRateLimits;
  publicBaseUrl: string;
  cookieSecure: boolean;
}

export interface AuthConfig {
  http: { host: string; port: number; trustProxy: boolean };
  grpc: { enabled: boolean; host: string; port: number; trust: ServiceTrust | undefined };
  kafka: { enabled: boolean; brokers: string[]; groupId: string };
  mongo: { url: string; db: string };
  redisUrl: string;
  /** This service's identity on outgoing gRPC calls (key-vault's SubjectKeyService). */
  servicePrivateKey: KeyObject;
  keyVault: { address: string; deadlineMs: number };
  retentionIntervalMs: number;
  smtp: SmtpSettings;
  settings: AuthSettings;
  logLevel: z.output<typeof schema>['LOG_LEVEL'];
  otlpEndpoint: string | undefined;
}

/** Validates the environment once at boot; a ConfigError names every bad variable, never a value. */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const c = loadConfig(schema, env);
  const window = c.LOGIN_LINK_LIMIT_WINDOW_MS;
  return {
    http: { host: c.HTTP_HOST, port: c.HTTP_PORT, trustProxy: c.TRUST_PROXY },
    grpc: { enabled: c.GRPC_ENABLED, host: c.GRPC_HOST ?? c.HTTP_HOST, port: c.GRPC_PORT, trust: c.SERVICE_PUBLIC_KEYS },
    kafka: { enabled: c.KAFKA_ENABLED, brokers: c.KAFKA_BROKERS ?? [], groupId: c.KAFKA_GROUP_ID },
    mongo: { url: c.MONGO_URL, db: c.MONGO_DB },
    redisUrl: c.REDIS_URL,
    servicePrivateKey: c.SERVICE_PRIVATE_KEY,
    keyVault: { address: c.KEY_VAULT_GRPC_ADDR, deadlineMs: c.KEY_VAULT_DEADLINE_MS },
    retentionIntervalMs: c.RETENTION_INTERVAL_MS,
    smtp: {
      host: c.SMTP_HOST,
      port: c.SMTP_PORT,
      secure: c.SMTP_SECURE,
      from: c.MAIL_FROM,
      ...(c.SMTP_USER !== undefined ? { user: c.SMTP_USER, password: c.SMTP_PASSWORD ?? '' } : {}),
    },
    settings: {
      emailHashKey: c.EMAIL_HASH_KEY,
      ipHashKey: c.IP_HASH_KEY,
      sessionSigningKey: c.SESSION_SIGNING_KEY,
      sessionKeyId: c.SESSION_KEY_ID,
      sessionTtlMs: c.SESSION_TTL_MS,
      accessTtlMs: c.ACCESS_TOKEN_TTL_MS,
      loginLinkTtlMs: c.LOGIN_LINK_TTL_MS,
      invitationTtlMs: c.INVITATION_TTL_MS,
      loginLinkLimits: {
        perIp: { limit: c.LOGIN_LINK_LIMIT_PER_IP, windowMs: window },
        perEmail: { limit: c.LOGIN_LINK_LIMIT_PER_EMAIL, windowMs: window },
      },
      publicBaseUrl: c.PUBLIC_BASE_URL,
      cookieSecure: c.COOKIE_SECURE,
    },
    logLevel: c.LOG_LEVEL,
    otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}
