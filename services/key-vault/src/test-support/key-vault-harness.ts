import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { Kafka, logLevel } from 'kafkajs';
import { createGrpcClient, createLogger, loadServiceIdentity, type GrpcClient } from '@enclave/platform';
import { keyVaultV1, privacyV1 } from '@enclave/proto';
import { ensureTopics } from '@enclave/eventing';
import { testSessions } from '@enclave/session';
import { loadInfraEnv, uniqueName } from '@enclave/testing';
import { loadKeyVaultConfig, type KeyVaultConfig } from '../config';
import { startKeyVault, type RunningKeyVault, type StartOptions } from '../start-key-vault';

// Starts a real key-vault (HTTP + gRPC + relay) in-process against the local infrastructure,
// with its own database, test session keys and service identities for gRPC callers.

export type KeyVaultGrpc = GrpcClient<typeof keyVaultV1.KeyVaultServiceService>;
export type TenantSecretGrpc = GrpcClient<typeof keyVaultV1.TenantSecretServiceService>;
export type SubjectKeyGrpc = GrpcClient<typeof keyVaultV1.SubjectKeyServiceService>;
export type SubjectDataGrpc = GrpcClient<typeof privacyV1.SubjectDataServiceService>;
export type CallerName = 'chat-gateway' | 'billing' | 'auth' | 'audit';

export interface Harness {
  kv: RunningKeyVault;
  config: KeyVaultConfig;
  env: Record<string, string>;
  db: Connection;
  sessions: ReturnType<typeof testSessions>;
  baseUrl: string;
  grpcAs(service: CallerName): KeyVaultGrpc;
  grpcWithKey(name: string, key: KeyObject): KeyVaultGrpc;
  tenantSecretsAs(service: CallerName): TenantSecretGrpc;
  subjectKeysAs(service: CallerName): SubjectKeyGrpc;
  subjectDataAs(service: CallerName): SubjectDataGrpc;
  /** Every log line the service wrote (JSON), when started with captureLogs. */
  logs: string[];
  /** HTTP helper: JSON in, status and parsed body out. */
  http(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; text: string; body: any }>;
  /** Stops the service; drops its database unless keepDatabase (another harness shares it). */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export function newKek(): string {
  return JSON.stringify({ '1': randomBytes(32).toString('base64') });
}

export function harnessEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const infra = loadInfraEnv();
  return {
    MONGO_URL: infra.mongoUrl,
    MONGO_DB: uniqueName('kv'),
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_ID: uniqueName('kv-repair'),
    PROJECTION_REPAIR_ENABLED: 'false',
    // Off unless a test is about erasure (the shared audit topic would be read from the start).
    SUBJECT_PURGE_ENABLED: 'false',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    AUTH_JWKS_URL: 'http://127.0.0.1:9/v1/auth/jwks',
    KEK_KEYS: newKek(),
    FINGERPRINT_KEY: randomBytes(32).toString('base64'),
    ALLOW_LOOPBACK_BASE_URLS: 'true',
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}

const callers: Record<CallerName, ReturnType<typeof generateKeyPairSync>> = {
  'chat-gateway': generateKeyPairSync('ed25519'),
  billing: generateKeyPairSync('ed25519'),
  auth: generateKeyPairSync('ed25519'),
  audit: generateKeyPairSync('ed25519'),
};

/** The private key a test caller signs its service tokens with (e.g. a real chat-gateway in a test). */
export function callerPrivateKey(name: CallerName): KeyObject {
  return callers[name].privateKey;
}

/** The public keys of the test callers, as SERVICE_PUBLIC_KEYS. */
export function trustedCallers(): string {
  return JSON.stringify(Object.fromEntries(Object.entries(callers).map(([name, pair]) => [name, spki(pair.publicKey)])));
}

export interface HarnessOptions extends Partial<StartOptions> {
  /** Log at trace level into Harness.logs (for the plaintext scanner). */
  captureLogs?: boolean;
}

function spki(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}

export async function startHarness(env: Record<string, string> = harnessEnv(), options: HarnessOptions = {}): Promise<Harness> {
  const { captureLogs, ...startOptions } = options;
  const sessions = testSessions();
  const fullEnv = { SERVICE_PUBLIC_KEYS: trustedCallers(), ...env };
  const config = loadKeyVaultConfig(fullEnv);
  const logs: string[] = [];
  const logger = captureLogs
    ? createLogger({ service: 'key-vault-test', level: 'trace', destination: { write: (line: string) => void logs.push(line) } })
    : createLogger({ service: 'key-vault-test', level: 'silent' });
  const kv = await startKeyVault(config, { logger, handleSignals: false, session: { verifier: sessions.verifier }, ...startOptions });
  const db = await mongoose.createConnection(config.mongo.url, { dbName: config.mongo.db }).asPromise();
  const clients: Array<{ close(): void }> = [];
  const options_ = (name: string, key: KeyObject) => ({ identity: loadServiceIdentity(name, key), audience: 'key-vault', defaultDeadlineMs: 5000 });
  const grpcWithKey = (name: string, key: KeyObject) => {
    const client = createGrpcClient(keyVaultV1.KeyVaultServiceClient, `127.0.0.1:${kv.grpcPort}`, options_(name, key));
    clients.push(client);
    return client;
  };
  const baseUrl = `http://127.0.0.1:${kv.httpPort}`;
  return {
    kv,
    config,
    env: fullEnv,
    db,
    sessions,
    baseUrl,
    grpcAs: (service) => grpcWithKey(service, callers[service].privateKey),
    grpcWithKey,
    tenantSecretsAs: (service) => {
      const client = createGrpcClient(keyVaultV1.TenantSecretServiceClient, `127.0.0.1:${kv.grpcPort}`, options_(service, callers[service].privateKey));
      clients.push(client);
      return client;
    },
    subjectKeysAs: (service) => {
      const client = createGrpcClient(keyVaultV1.SubjectKeyServiceClient, `127.0.0.1:${kv.grpcPort}`, options_(service, callers[service].privateKey));
      clients.push(client);
      return client;
    },
    subjectDataAs: (service) => {
      const client = createGrpcClient(privacyV1.SubjectDataServiceClient, `127.0.0.1:${kv.grpcPort}`, options_(service, callers[service].privateKey));
      clients.push(client);
      return client;
    },
    logs,
    async http(method, path, { token, body, headers = {} } = {}) {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
    },
    async close({ keepDatabase = false } = {}) {
      clients.forEach((c) => c.close());
      await kv.close();
      if (!keepDatabase) await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}

/** Reads enclave.key-vault.events.v1 from the start, collecting messages of one tenant. */
export async function topicReader(tenantId: string) {
  const infra = loadInfraEnv();
  const kafka = new Kafka({ clientId: 'kv-test', brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('kv-test-reader') });
  const seen: Array<{ key: string; value: Buffer }> = [];
  await ensureTopics(kafka, ['enclave.key-vault.events.v1']);
  await consumer.connect();
  await consumer.subscribe({ topic: 'enclave.key-vault.events.v1', fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString() ?? '';
      if (key === tenantId && message.value) seen.push({ key, value: message.value });
    },
  });
  return { seen, stop: () => consumer.disconnect() };
}
