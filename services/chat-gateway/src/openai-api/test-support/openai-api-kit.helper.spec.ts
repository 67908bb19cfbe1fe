// Test support (not a test): chat-gateway with virtual keys and the OpenAI-compatible API,
// in-process on real FerretDB, Redis and (optionally) Kafka, with the fake OpenAI upstream and
// fake tenant/key-vault gRPC peers. addReplica() starts a second gateway on the same database,
// Redis and Kafka, with caches of its own (as a second pod would).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import mongoose, { type Connection } from 'mongoose';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import OpenAI from 'openai';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGrpcClient, createHttpApp, createLogger, generateServiceKeypair, loadServiceIdentity, ServiceTrust, type GrpcClient } from '@enclave/platform';
import { keyVaultV1, tenantV1 } from '@enclave/proto';
import { testSessions, type MintOptions } from '@enclave/session';
import { loadInfraEnv, uniqueName, type InfraEnv } from '@enclave/testing';
import { start as startUpstream, type FakeUpstream } from '../../../../../loadtests/fake-upstream/server';
import { AppModule } from '../../app.module';
import { ChatGatewayRuntime, type UsagePublishOptions } from '../../composition/chat-gateway-runtime';
import { GrpcMemberRoles, GrpcSubjectKeySource } from '@enclave/privacy';
import { GrpcCredentialSource } from '../../credentials/infrastructure/grpc-credential-source';
import { GrpcTenantSettingsSource } from '../../tenant-settings/infrastructure/grpc-tenant-settings-source';
import { FakeGrpcPeers } from '../../test-support/fake-grpc-peers.helper.spec';

export const UPSTREAM_KEY = 'sk-test-upstream-key-5521';

export interface ApiKitOptions {
  kafka?: boolean;
  keyCacheTtlMs?: number;
  upstreamTimeoutMs?: number;
  usagePublish?: UsagePublishOptions;
}

export interface Gateway {
  runtime: ChatGatewayRuntime;
  app: NestFastifyApplication;
  baseUrl: string;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class OpenAiApiKit {
  private readonly gateways: Gateway[] = [];
  private readonly clients: Array<GrpcClient<never>> = [];
  private readonly sessions = testSessions();
  readonly pepper = randomBytes(32);
  readonly logger = createLogger({ service: 'chat-gateway-test', level: 'silent' });

  private constructor(
    readonly infra: InfraEnv,
    readonly options: ApiKitOptions,
    readonly connection: Connection,
    readonly redis: Redis,
    readonly kafka: Kafka | undefined,
    readonly upstream: FakeUpstream,
    readonly peers: FakeGrpcPeers,
    private readonly peerAddress: string,
    private readonly serviceKey: string,
  ) {}

  static async start(options: ApiKitOptions = {}): Promise<OpenAiApiKit> {
    const infra = loadInfraEnv();
    const connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('cg-openai') }).asPromise();
    const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: 1 });
    const kafka = options.kafka ? new Kafka({ clientId: uniqueName('cg-openai'), brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING }) : undefined;
    const upstream = await startUpstream({ port: 0, keys: [UPSTREAM_KEY] });
    const keys = generateServiceKeypair();
    const peers = new FakeGrpcPeers(new ServiceTrust({ 'chat-gateway': keys.publicKey }));
    const address = await peers.start();
    const kit = new OpenAiApiKit(infra, options, connection, redis, kafka, upstream, peers, address, keys.privateKey);
    await kit.addReplica();
    return kit;
  }

  get main(): Gateway {
    return this.gateways[0]!;
  }

  get baseUrl(): string {
    return this.main.baseUrl;
  }

  /** One more gateway process-alike: same stores and topic, its own caches and consumer group. */
  async addReplica(): Promise<Gateway> {
    const identity = loadServiceIdentity('chat-gateway', this.serviceKey);
    const tenantClient = createGrpcClient(tenantV1.TenantServiceClient, this.peerAddress, { identity, audience: 'tenant', defaultDeadlineMs: 2000 });
    const keyVaultClient = createGrpcClient(keyVaultV1.KeyVaultServiceClient, this.peerAddress, { identity, audience: 'key-vault', defaultDeadlineMs: 2000 });
    const subjectKeyClient = createGrpcClient(keyVaultV1.SubjectKeyServiceClient, this.peerAddress, { identity, audience: 'key-vault', defaultDeadlineMs: 2000 });
    const directoryClient = createGrpcClient(tenantV1.MemberDirectoryServiceClient, this.peerAddress, { identity, audience: 'tenant', defaultDeadlineMs: 2000 });
    this.clients.push(tenantClient as GrpcClient<never>, keyVaultClient as GrpcClient<never>, subjectKeyClient as GrpcClient<never>, directoryClient as GrpcClient<never>);
    const upstreamTimeoutMs = this.options.upstreamTimeoutMs ?? 1000;
    const runtime = new ChatGatewayRuntime({
      connection: this.connection,
      redis: this.redis,
      logger: this.logger,
      settingsSource: new GrpcTenantSettingsSource(tenantClient),
      credentialSource: new GrpcCredentialSource(keyVaultClient, this.logger),
      subjectKeySource: new GrpcSubjectKeySource(subjectKeyClient),
      memberRoles: new GrpcMemberRoles(directoryClient, 2000),
      privacy: { consumerGroup: uniqueName('cg-api-privacy'), auditFromBeginning: false },
      ...(this.kafka && { kafka: this.kafka }),
      ...(this.options.usagePublish && { usagePublish: this.options.usagePublish }),
      chat: { upstreamTimeoutMs, fallbackModel: 'gpt-4o-mini', ratePerMinute: 1000, contextMessages: 20 },
      // The fake upstream listens on loopback.
      egress: { policy: { allowPrivate: false, allowLoopback: true } },
      caches: { credentialTtlMs: 300_000, credentialMaxEntries: 100, settingsTtlMs: 600_000, settingsMaxEntries: 100 },
      virtualKeys: {
        pepper: this.pepper,
        cacheTtlMs: this.options.keyCacheTtlMs ?? 60_000,
        cacheMaxEntries: 1000,
        defaultRatePerMinute: 600,
        bodyLimitBytes: 4 * 1024 * 1024,
      },
    });
    const app = await createHttpApp(AppModule.forRoot({ runtime, logger: this.logger, session: { verifier: this.sessions.verifier } }), {
      logger: this.logger,
      handleSignals: false,
    });
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const gateway = { runtime, app, baseUrl: `http://127.0.0.1:${port}` };
    this.gateways.push(gateway);
    return gateway;
  }

  /** A tenant known to the fake tenant service, with a provider key in the fake key-vault. */
  newTenant(options: { systemInstruction?: string; defaultModel?: string; allowedModels?: string[]; apiKey?: string | null } = {}): string {
    const tenantId = randomUUID();
    this.peers.settings.set(tenantId, {
      version: 1,
      settings: {
        instanceName: 'Test instance',
        systemInstruction: options.systemInstruction ?? '',
        messageLogging: false,
        messageLoggingNoticeVersion: '',
        privacyPolicyUrl: '',
        defaultModel: options.defaultModel ?? 'gpt-4o-mini',
        allowedModels: options.allowedModels ?? ['gpt-4o-mini', 'gpt-4o', 'fault-500', 'fault-429', 'fault-broken-stream', 'fault-stall', 'fault-no-usage'],
      },
    });
    if (options.apiKey !== null) {
      this.peers.credentials.set(tenantId, { keyId: randomUUID(), keyVersion: 1, provider: 'openai', baseUrl: this.upstream.url, apiKey: options.apiKey ?? UPSTREAM_KEY });
    }
    return tenantId;
  }

  mint(options: MintOptions): { token: string; subjectId: string } {
    const { token, session } = this.sessions.mint(options);
    return { token, subjectId: session.subjectId };
  }

  /** The stored form of a key (HMAC-SHA256 under the kit's pepper). */
  hashOf(key: string): string {
    return createHmac('sha256', this.pepper).update(key).digest('base64url');
  }

  admin(tenantId: string): string {
    return this.mint({ tenantId, role: 'admin' }).token;
  }

  async request(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string; baseUrl?: string; headers?: Record<string, string> } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${options.baseUrl ?? this.baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      ...(options.rawBody !== undefined && { body: options.rawBody }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, headers: response.headers, text, json: type.includes('application/json') && text ? JSON.parse(text) : undefined };
  }

  /** Creates a key as the tenant's admin; returns the key (shown once) and its id. */
  async createKey(tenantId: string, body: Record<string, unknown> = {}): Promise<{ key: string; id: string }> {
    const res = await this.request('POST', `/v1/tenants/${tenantId}/virtual-keys`, { token: this.admin(tenantId), body: { label: 'test key', ...body } });
    if (res.status !== 201) throw new Error(`key not created: ${res.status} ${res.text}`);
    return { key: res.json.key, id: res.json.virtualKey.id };
  }

  /** The real openai SDK pointed at a gateway. */
  openai(key: string, baseUrl = this.baseUrl): OpenAI {
    return new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0, timeout: 10_000 });
  }

  async close(): Promise<void> {
    for (const gateway of this.gateways) await gateway.app.close();
    for (const client of this.clients) client.close();
    this.peers.stop();
    await this.upstream.close();
    await this.redis.quit();
    await this.connection.dropDatabase().catch(() => undefined);
    await this.connection.close();
  }
}
