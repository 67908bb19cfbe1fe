// Shared set-up for auth's int and HTTP tests (no tests here): real FerretDB, Redis, Kafka and
// SMTP catcher from `bash scripts/infra.sh up`, the in-process Nest app on a free port, a clock
// the tests move, and tenant events produced to a real topic with eventing's envelope helpers.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import Redis from 'ioredis';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventsV1, TOPICS, type tenantV1 } from '@enclave/proto';
import { buildEnvelope, defineTopic, tenantId as checkedTenantId, toKafkaMessage, type EventEnvelope } from '@enclave/eventing';
import { createHttpApp, createLogger, generateServiceKeypair, ServiceTrust, type GeneratedKeypair } from '@enclave/platform';
import { loadInfraEnv, uniqueName } from '@enclave/testing';
import { PersonalFields, type SubjectKey, type SubjectKeySource } from '@enclave/privacy';
import { AppModule } from '../app.module';
import { AuthRuntime, type AuthRuntimeOptions } from '../composition/auth-runtime';
import type { AuthSettings } from '../config';
import { SmtpMailer } from '../login-links/infrastructure/smtp-mailer';
import { Clock } from '../shared/clock';

// TEST_LOG_LEVEL=debug shows the service's own logs while a test runs.
export const quietLogger = () => createLogger({ service: 'auth-test', level: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent' });

/** A clock that stands still until a test moves it. */
export class ManualClock extends Clock {
  constructor(private now = Date.now()) {
    super();
  }
  nowMs(): number {
    return this.now;
  }
  advance(ms: number): void {
    this.now += ms;
  }
}

export function testSettings(overrides: Partial<AuthSettings> = {}): AuthSettings {
  return {
    emailHashKey: randomBytes(32),
    ipHashKey: randomBytes(32),
    sessionSigningKey: generateKeyPairSync('ed25519').privateKey,
    sessionKeyId: undefined,
    sessionTtlMs: 12 * 3_600_000,
    accessTtlMs: 5 * 60_000,
    loginLinkTtlMs: 15 * 60_000,
    invitationTtlMs: 72 * 3_600_000,
    loginLinkLimits: { perIp: { limit: 10, windowMs: 900_000 }, perEmail: { limit: 5, windowMs: 900_000 } },
    publicBaseUrl: 'http://127.0.0.1:7100',
    cookieSecure: false,
    ...overrides,
  };
}

export interface ServiceKeys {
  tenant: GeneratedKeypair;
  chatGateway: GeneratedKeypair;
  audit: GeneratedKeypair;
}

export const serviceKeys = (): ServiceKeys => ({ tenant: generateServiceKeypair(), chatGateway: generateServiceKeypair(), audit: generateServiceKeypair() });

/** key-vault's SubjectKeyService in memory: a key per person, created on demand, shreddable. */
export class FakeSubjectKeys implements SubjectKeySource {
  private readonly keys = new Map<string, SubjectKey | 'shredded'>();
  fetches = 0;

  async fetch(tenantId: string, subjectId: string, create: boolean): Promise<SubjectKey | 'shredded' | undefined> {
    this.fetches++;
    const id = `${tenantId}/${subjectId}`;
    const existing = this.keys.get(id);
    if (existing || !create) return existing;
    const made = { keyId: `k${this.keys.size + 1}`, key: randomBytes(32) };
    this.keys.set(id, made);
    return made;
  }

  shred(tenantId: string, subjectId: string): void {
    this.keys.set(`${tenantId}/${subjectId}`, 'shredded');
  }
}

/** A unique, lower-case address per run, so mail from earlier runs never matches. */
export const uniqueEmail = (who: string) => `${uniqueName(who)}@acme.example`;

export interface AuthHarness {
  runtime: AuthRuntime;
  app: NestFastifyApplication;
  baseUrl: string;
  clock: ManualClock;
  settings: AuthSettings;
  connection: Connection;
  kafka: Kafka | undefined;
  topics: { tenant: string; auth: string; audit: string };
  subjectKeys: FakeSubjectKeys;
  personalFields: PersonalFields;
  redisKeyPrefix: string;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  settings?: Partial<AuthSettings>;
  withKafka?: boolean;
  keys?: ServiceKeys;
  /** Where subject keys come from (default: FakeSubjectKeys in memory). */
  subjectKeySource?: SubjectKeySource;
}

/** Auth as main.ts wires it, in-process: real stores, Redis, SMTP; Kafka and gRPC when asked. */
export async function startAuth(options: HarnessOptions = {}): Promise<AuthHarness> {
  const infra = loadInfraEnv();
  const connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('auth-int').replace(/-/g, '_') }).asPromise();
  const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: 2 });
  const mailer = new SmtpMailer({ host: infra.smtpHost, port: infra.smtpPort, secure: false, from: 'Enclave <no-reply@enclave.test>' });
  const clock = new ManualClock();
  const settings = testSettings(options.settings);
  const topics = { tenant: uniqueName('tenant-events'), auth: uniqueName('auth-events'), audit: uniqueName('audit-events') };
  const subjectKeys = new FakeSubjectKeys();
  const personalFields = new PersonalFields(options.subjectKeySource ?? subjectKeys);
  const redisKeyPrefix = `${uniqueName('auth-int')}:`;
  const kafka = options.withKafka ? testKafka() : undefined;
  const runtimeOptions: AuthRuntimeOptions = {
    settings,
    connection,
    redis,
    mailer,
    logger: quietLogger(),
    clock,
    redisKeyPrefix,
    personalFields,
    ...(kafka && {
      kafka: { client: kafka, groupId: uniqueName('auth-tenant-events'), tenantTopic: topics.tenant, authTopic: topics.auth, auditTopic: topics.audit },
    }),
    ...(options.keys && {
      grpc: {
        host: '127.0.0.1',
        port: 0,
        trust: new ServiceTrust({ tenant: options.keys.tenant.publicKey, 'chat-gateway': options.keys.chatGateway.publicKey, audit: options.keys.audit.publicKey }),
      },
    }),
  };
  const runtime = new AuthRuntime(runtimeOptions);
  const closeConnections = async () => {
    mailer.close();
    redis.disconnect();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  };
  const app = await createHttpApp(AppModule.forRoot({ runtime, cookieSecure: false, now: () => clock.nowMs() }), {
    logger: quietLogger(),
    handleSignals: false,
    trustProxy: true,
  });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await runtime.stop().catch(() => undefined);
    await app.close().catch(() => undefined);
    await closeConnections();
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  return {
    runtime,
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    clock,
    settings,
    connection,
    kafka,
    topics,
    subjectKeys,
    personalFields,
    redisKeyPrefix,
    stop: async () => {
      await app.close();
      await closeConnections();
    },
  };
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: uniqueName('auth-test'), brokers: loadInfraEnv().kafkaBrokers, logLevel: logLevel.NOTHING });
}

/** POST JSON from a chosen client IP (the app trusts X-Forwarded-For in tests). */
export async function postJson(baseUrl: string, path: string, body: unknown, ip = '198.51.100.1', headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** Produces tenant events as the tenant service's relay would: envelopes on one stream, keyed by tenant. */
export class TenantEventProducer {
  private version = 0;
  private constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    readonly tenantId: string,
  ) {}

  static async connect(kafka: Kafka, topic: string, tenantId: string): Promise<TenantEventProducer> {
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    return new TenantEventProducer(producer, topic, tenantId);
  }

  /** Sends the events as the next versions of stream tenant-<id>; returns their envelopes. */
  async send(...events: tenantV1.TenantEvent[]): Promise<EventEnvelope[]> {
    const topic = defineTopic(this.topic, TOPICS.tenant.codec);
    const envelopes = events.map((payload) =>
      buildEnvelope(topic, payload, {
        type: `tenant.${payload.event!.$case.charAt(0).toUpperCase()}${payload.event!.$case.slice(1)}`,
        tenantId: checkedTenantId(this.tenantId),
        actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'tenant', role: '' },
        streamId: `tenant-${this.tenantId}`,
        streamVersion: ++this.version,
      }),
    );
    await this.resend(envelopes);
    return envelopes;
  }

  /** Sends envelopes again, unchanged: a redelivery. */
  async resend(envelopes: EventEnvelope[]): Promise<void> {
    await this.producer.send({ topic: this.topic, acks: -1, messages: envelopes.map(toKafkaMessage) });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}

export const tenantEvents = {
  instanceCreated: (instanceName: string, ownerSubjectId: string): tenantV1.TenantEvent => ({
    event: { $case: 'instanceCreated', value: { instanceName, ownerSubjectId } },
  }),
  memberAdded: (subjectId: string, role: string): tenantV1.TenantEvent => ({ event: { $case: 'memberAdded', value: { subjectId, role } } }),
  memberRemoved: (subjectId: string): tenantV1.TenantEvent => ({ event: { $case: 'memberRemoved', value: { subjectId } } }),
  memberRoleChanged: (subjectId: string, role: string): tenantV1.TenantEvent => ({ event: { $case: 'memberRoleChanged', value: { subjectId, role } } }),
};

/** The token inside a mailed link. */
export function tokenFromMail(text: string | null): { tenant: string; token: string } {
  const match = /\/login\?tenant=([^&\s]+)&token=([A-Za-z0-9_-]{43})/.exec(text ?? '');
  if (!match) throw new Error('no login link in the mail');
  return { tenant: decodeURIComponent(match[1]!), token: match[2]! };
}
