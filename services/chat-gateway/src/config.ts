import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { boolVar, ed25519PrivateKeyVar, intVar, listVar, loadConfig, portVar, serviceTrustVar, urlVar, type BaseUrlPolicy, type ServiceTrust } from '@enclave/platform';

export const SERVICE_NAME = 'chat-gateway';

const hostPort = () => z.string().trim().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'expected host:port');
const positive = (what: string) => intVar().refine((n) => n > 0, `${what} must be positive`);

const schema = z
  .object({
    HTTP_HOST: z.string().trim().default('127.0.0.1'),
    HTTP_PORT: portVar().default(7104),
    MONGO_URL: urlVar(['mongodb', 'mongodb+srv']),
    MONGO_DB: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected a database name').default('enclave_chat_gateway'),
    REDIS_URL: urlVar(['redis', 'rediss']),
    REDIS_COMMAND_TIMEOUT_MS: positive('REDIS_COMMAND_TIMEOUT_MS').default(1000),
    KAFKA_ENABLED: boolVar().default(true),
    KAFKA_BROKERS: listVar().optional(),
    KAFKA_GROUP_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected a consumer group name').default('chat-gateway'),
    GRPC_HOST: z.string().trim().optional(),
    GRPC_PORT: portVar().default(7204),
    GRPC_ENABLED: boolVar().default(true),
    SERVICE_PUBLIC_KEYS: serviceTrustVar().optional(),
    RETENTION_INTERVAL_MS: positive('RETENTION_INTERVAL_MS').default(3_600_000),
    PRIVACY_STATE_REFRESH_MS: positive('PRIVACY_STATE_REFRESH_MS').default(60_000),
    SUBJECT_KEY_CACHE_TTL_MS: positive('SUBJECT_KEY_CACHE_TTL_MS').default(600_000),
    AUTH_JWKS_URL: urlVar(['http', 'https']),
    SERVICE_PRIVATE_KEY: ed25519PrivateKeyVar(),
    TENANT_GRPC_ADDR: hostPort(),
    KEY_VAULT_GRPC_ADDR: hostPort(),
    GRPC_DEADLINE_MS: positive('GRPC_DEADLINE_MS').default(2000),
    UPSTREAM_TIMEOUT_MS: positive('UPSTREAM_TIMEOUT_MS').default(30_000),
    UPSTREAM_DNS_TTL_MS: positive('UPSTREAM_DNS_TTL_MS').default(30_000),
    ALLOW_PRIVATE_BASE_URLS: boolVar().default(false),
    ALLOW_LOOPBACK_BASE_URLS: boolVar().default(false),
    DEFAULT_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
    RATE_LIMIT_PER_MINUTE: positive('RATE_LIMIT_PER_MINUTE').default(60),
    CONTEXT_MESSAGES: intVar().default(20),
    CONTEXT_CACHE_TTL_MS: positive('CONTEXT_CACHE_TTL_MS').default(300_000),
    CONTEXT_CACHE_MAX_BYTES: positive('CONTEXT_CACHE_MAX_BYTES').default(16 * 1024 * 1024),
    CREDENTIAL_CACHE_TTL_MS: positive('CREDENTIAL_CACHE_TTL_MS').default(300_000),
    CREDENTIAL_CACHE_MAX_ENTRIES: positive('CREDENTIAL_CACHE_MAX_ENTRIES').default(10_000),
    SETTINGS_CACHE_TTL_MS: positive('SETTINGS_CACHE_TTL_MS').default(600_000),
    SETTINGS_CACHE_MAX_ENTRIES: positive('SETTINGS_CACHE_MAX_ENTRIES').default(10_000),
    USAGE_PUBLISH_LINGER_MS: intVar().refine((n) => n <= 1000, 'USAGE_PUBLISH_LINGER_MS must be at most 1000').default(0),
    USAGE_PUBLISH_MAX_BATCH: positive('USAGE_PUBLISH_MAX_BATCH').default(500),
    USAGE_PUBLISH_MAX_PENDING: positive('USAGE_PUBLISH_MAX_PENDING').default(10_000),
    USAGE_PUBLISH_RETRY_AFTER_SEC: positive('USAGE_PUBLISH_RETRY_AFTER_SEC').default(1),
    QUOTA_DEFAULT_MAX_TOKENS: positive('QUOTA_DEFAULT_MAX_TOKENS').default(4096),
    SHUTDOWN_DRAIN_MS: intVar().default(0),
    VIRTUAL_KEY_PEPPER: z
      .string()
      .trim()
      .refine((v) => /^[A-Za-z0-9+/_-]+=*$/.test(v) && Buffer.from(v, 'base64').length >= 32, 'expected base64 of at least 32 random bytes')
      .optional(),
    VIRTUAL_KEY_CACHE_TTL_MS: positive('VIRTUAL_KEY_CACHE_TTL_MS').default(60_000),
    VIRTUAL_KEY_CACHE_MAX_ENTRIES: positive('VIRTUAL_KEY_CACHE_MAX_ENTRIES').default(10_000),
    VIRTUAL_KEY_DEFAULT_RATE_PER_MINUTE: positive('VIRTUAL_KEY_DEFAULT_RATE_PER_MINUTE').default(600),
    OPENAI_API_BODY_LIMIT_BYTES: positive('OPENAI_API_BODY_LIMIT_BYTES').default(4 * 1024 * 1024),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    OTEL_EXPORTER_OTLP_ENDPOINT: urlVar(['http', 'https']).optional(),
    METRICS_PORT: portVar().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_ENABLED && !env.KAFKA_BROKERS) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'required unless KAFKA_ENABLED=false' });
    }
    if (env.GRPC_ENABLED && !env.SERVICE_PUBLIC_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['SERVICE_PUBLIC_KEYS'], message: 'required unless GRPC_ENABLED=false' });
    }
  });

export interface ChatGatewayConfig {
  http: { host: string; port: number };
  mongo: { url: string; db: string };
  redis: { url: string; commandTimeoutMs: number };
  kafka: { enabled: boolean; brokers: string[]; groupId: string };
  /** SubjectDataService (audit's exports of a person's data). */
  grpcServer: { enabled: boolean; host: string; port: number; trust: ServiceTrust | undefined };
  privacy: { retentionIntervalMs: number; privacyRefreshMs: number; subjectKeyTtlMs: number };
  authJwksUrl: string;
  servicePrivateKey: KeyObject;
  grpc: { tenantAddress: string; keyVaultAddress: string; deadlineMs: number };
  chat: { upstreamTimeoutMs: number; fallbackModel: string; ratePerMinute: number; contextMessages: number };
  /** Upstream (provider) connections: which addresses they may reach, how long a DNS answer is reused. */
  egress: { policy: BaseUrlPolicy; dnsTtlMs: number };
  caches: { credentialTtlMs: number; credentialMaxEntries: number; settingsTtlMs: number; settingsMaxEntries: number };
  /** Each replica's cache of recent chat contexts (sealed text), checked against a Redis version per chat. */
  contextCache: { ttlMs: number; maxBytes: number };
  /** Metering facts to Kafka: linger, batch, the bound on facts waiting or in flight (past it: 503 + Retry-After). */
  usagePublish: { lingerMs: number; maxBatch: number; maxPending: number; retryAfterSec: number };
  /** Completion tokens a request without max_tokens reserves against the quota before the provider is called. */
  defaultMaxCompletionTokens: number;
  virtualKeys: VirtualKeysConfig;
  shutdownDrainMs: number;
  logLevel: z.output<typeof schema>['LOG_LEVEL'];
  otlpEndpoint: string | undefined;
  metricsPort: number | undefined;
}

/** The OpenAI-compatible API and its virtual keys; without a pepper both answer 503. */
export interface VirtualKeysConfig {
  /** VIRTUAL_KEY_PEPPER (base64, >= 32 bytes): the HMAC key under which virtual keys are stored. */
  pepper: Buffer | undefined;
  cacheTtlMs: number;
  cacheMaxEntries: number;
  defaultRatePerMinute: number;
  bodyLimitBytes: number;
}

/** Validates the environment once at boot; a ConfigError names every bad variable (never a value). */
export function loadChatGatewayConfig(env: NodeJS.ProcessEnv = process.env): ChatGatewayConfig {
  const c = loadConfig(schema, env);
  return {
    http: { host: c.HTTP_HOST, port: c.HTTP_PORT },
    mongo: { url: c.MONGO_URL, db: c.MONGO_DB },
    redis: { url: c.REDIS_URL, commandTimeoutMs: c.REDIS_COMMAND_TIMEOUT_MS },
    kafka: { enabled: c.KAFKA_ENABLED, brokers: c.KAFKA_BROKERS ?? [], groupId: c.KAFKA_GROUP_ID },
    grpcServer: { enabled: c.GRPC_ENABLED, host: c.GRPC_HOST ?? c.HTTP_HOST, port: c.GRPC_PORT, trust: c.SERVICE_PUBLIC_KEYS },
    privacy: {
      retentionIntervalMs: c.RETENTION_INTERVAL_MS,
      privacyRefreshMs: c.PRIVACY_STATE_REFRESH_MS,
      subjectKeyTtlMs: c.SUBJECT_KEY_CACHE_TTL_MS,
    },
    authJwksUrl: c.AUTH_JWKS_URL,
    servicePrivateKey: c.SERVICE_PRIVATE_KEY,
    grpc: { tenantAddress: c.TENANT_GRPC_ADDR, keyVaultAddress: c.KEY_VAULT_GRPC_ADDR, deadlineMs: c.GRPC_DEADLINE_MS },
    chat: {
      upstreamTimeoutMs: c.UPSTREAM_TIMEOUT_MS,
      fallbackModel: c.DEFAULT_MODEL,
      ratePerMinute: c.RATE_LIMIT_PER_MINUTE,
      contextMessages: c.CONTEXT_MESSAGES,
    },
    egress: { policy: { allowPrivate: c.ALLOW_PRIVATE_BASE_URLS, allowLoopback: c.ALLOW_LOOPBACK_BASE_URLS }, dnsTtlMs: c.UPSTREAM_DNS_TTL_MS },
    contextCache: { ttlMs: c.CONTEXT_CACHE_TTL_MS, maxBytes: c.CONTEXT_CACHE_MAX_BYTES },
    caches: {
      credentialTtlMs: c.CREDENTIAL_CACHE_TTL_MS,
      credentialMaxEntries: c.CREDENTIAL_CACHE_MAX_ENTRIES,
      settingsTtlMs: c.SETTINGS_CACHE_TTL_MS,
      settingsMaxEntries: c.SETTINGS_CACHE_MAX_ENTRIES,
    },
    defaultMaxCompletionTokens: c.QUOTA_DEFAULT_MAX_TOKENS,
    usagePublish: {
      lingerMs: c.USAGE_PUBLISH_LINGER_MS,
      maxBatch: c.USAGE_PUBLISH_MAX_BATCH,
      maxPending: c.USAGE_PUBLISH_MAX_PENDING,
      retryAfterSec: c.USAGE_PUBLISH_RETRY_AFTER_SEC,
    },
    virtualKeys: {
      pepper: c.VIRTUAL_KEY_PEPPER === undefined ? undefined : Buffer.from(c.VIRTUAL_KEY_PEPPER, 'base64'),
      cacheTtlMs: c.VIRTUAL_KEY_CACHE_TTL_MS,
      cacheMaxEntries: c.VIRTUAL_KEY_CACHE_MAX_ENTRIES,
      defaultRatePerMinute: c.VIRTUAL_KEY_DEFAULT_RATE_PER_MINUTE,
      bodyLimitBytes: c.OPENAI_API_BODY_LIMIT_BYTES,
    },
    shutdownDrainMs: c.SHUTDOWN_DRAIN_MS,
    logLevel: c.LOG_LEVEL,
    otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
    metricsPort: c.METRICS_PORT,
  };
}
