// Test support (not a test): chat-gateway's Nest app in-process on real Mongo (FerretDB), Redis
// and Kafka, with the fake OpenAI upstream and fake tenant/key-vault gRPC peers.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import mongoose, { type Connection } from 'mongoose';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  createGrpcClient,
  createHttpApp,
  createLogger,
  generateServiceKeypair,
  loadServiceIdentity,
  ServiceTrust,
  type GrpcClient,
} from '@enclave/platform';
import { keyVaultV1, tenantV1 } from '@enclave/proto';
import { testSessions, type MintOptions } from '@enclave/session';
import { loadInfraEnv, uniqueName, type InfraEnv } from '@enclave/testing';
import { start as startUpstream, type FakeUpstream } from '../../../../loadtests/fake-upstream/server';
import { AppModule } from '../app.module';
import { parseSseEvents, type ParsedSseEvent } from '../chat/interface/sse-encoder';
import { ChatGatewayRuntime } from '../composition/chat-gateway-runtime';
import { GrpcCredentialSource } from '../credentials/infrastructure/grpc-credential-source';
import { GrpcMemberRoles, GrpcSubjectKeySource } from '@enclave/privacy';
import { GrpcTenantSettingsSource } from '../tenant-settings/infrastructure/grpc-tenant-settings-source';
import { FakeGrpcPeers } from './fake-grpc-peers.helper.spec';

export const UPSTREAM_KEY = 'sk-test-upstream-key-7781';
export const FAULT_MODELS = ['fault-500', 'fault-429', 'fault-hang', 'fault-broken-stream', 'fault-stall', 'fault-no-usage'];

export interface KitOptions {
  kafka?: boolean;
  upstreamTimeoutMs?: number;
  /** Starts the SubjectDataService gRPC server (port 0) trusting these callers. */
  grpcTrust?: ServiceTrust;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  events: ParsedSseEvent[];
}

export class ChatGatewayKit {
  private constructor(
    readonly infra: InfraEnv,
    readonly connection: Connection,
    readonly redis: Redis,
    readonly kafka: Kafka | undefined,
    readonly upstream: FakeUpstream,
    readonly slowUpstream: FakeUpstream,
    readonly peers: FakeGrpcPeers,
    readonly runtime: ChatGatewayRuntime,
    readonly app: NestFastifyApplication,
    readonly baseUrl: string,
    private readonly sessions: ReturnType<typeof testSessions>,
    private readonly clients: Array<GrpcClient<never>>,
  ) {}

  static async start(options: KitOptions = {}): Promise<ChatGatewayKit> {
    const infra = loadInfraEnv();
    const logger = createLogger({ service: 'chat-gateway-test', level: 'silent' });
    const connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('chat-gateway') }).asPromise();
    const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: 1 });
    const kafka = options.kafka
      ? new Kafka({ clientId: uniqueName('cg-test'), brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING })
      : undefined;
    const upstream = await startUpstream({ port: 0, keys: [UPSTREAM_KEY] });
    const slowUpstream = await startUpstream({ port: 0, keys: [UPSTREAM_KEY], chunkDelayMs: 150 });

    const keys = generateServiceKeypair();
    const peers = new FakeGrpcPeers(new ServiceTrust({ 'chat-gateway': keys.publicKey }));
    const address = await peers.start();
    const identity = loadServiceIdentity('chat-gateway', keys.privateKey);
    const tenantClient = createGrpcClient(tenantV1.TenantServiceClient, address, { identity, audience: 'tenant', defaultDeadlineMs: 2000 });
    const keyVaultClient = createGrpcClient(keyVaultV1.KeyVaultServiceClient, address, { identity, audience: 'key-vault', defaultDeadlineMs: 2000 });
    const subjectKeyClient = createGrpcClient(keyVaultV1.SubjectKeyServiceClient, address, { identity, audience: 'key-vault', defaultDeadlineMs: 2000 });
    const directoryClient = createGrpcClient(tenantV1.MemberDirectoryServiceClient, address, { identity, audience: 'tenant', defaultDeadlineMs: 2000 });
    const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 1000;

    const runtime = new ChatGatewayRuntime({
      connection,
      redis,
      logger,
      settingsSource: new GrpcTenantSettingsSource(tenantClient),
      credentialSource: new GrpcCredentialSource(keyVaultClient, logger),
      subjectKeySource: new GrpcSubjectKeySource(subjectKeyClient),
      memberRoles: new GrpcMemberRoles(directoryClient, 2000),
      privacy: { ...(options.grpcTrust && { grpc: { host: '127.0.0.1', port: 0, trust: options.grpcTrust } }), consumerGroup: uniqueName('cg-privacy'), auditFromBeginning: false },
      ...(kafka && { kafka }),
      chat: { upstreamTimeoutMs, fallbackModel: 'gpt-4o-mini', ratePerMinute: 1000, contextMessages: 20 },
      // The fake upstream listens on loopback.
      egress: { policy: { allowPrivate: false, allowLoopback: true } },
      caches: { credentialTtlMs: 300_000, credentialMaxEntries: 100, settingsTtlMs: 600_000, settingsMaxEntries: 100 },
    });
    const sessions = testSessions();
    const app = await createHttpApp(AppModule.forRoot({ runtime, logger, session: { verifier: sessions.verifier } }), {
      logger,
      handleSignals: false,
    });
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    return new ChatGatewayKit(infra, connection, redis, kafka, upstream, slowUpstream, peers, runtime, app, `http://127.0.0.1:${port}`, sessions, [
      tenantClient as GrpcClient<never>,
      keyVaultClient as GrpcClient<never>,
      subjectKeyClient as GrpcClient<never>,
      directoryClient as GrpcClient<never>,
    ]);
  }

  /** A tenant known to the fake tenant service, with a provider key in the fake key-vault. */
  newTenant(options: { messageLogging?: boolean; retentionDays?: number; systemInstruction?: string; defaultModel?: string; allowedModels?: string[]; slow?: boolean; apiKey?: string | null } = {}): string {
    const tenantId = randomUUID();
    this.peers.settings.set(tenantId, {
      version: 3,
      settings: {
        instanceName: 'Test instance',
        systemInstruction: options.systemInstruction ?? '',
        messageLogging: options.messageLogging ?? false,
        privacyPolicyUrl: '',
        messageLoggingNoticeVersion: options.messageLogging ? 'v1' : '',
        ...(options.retentionDays !== undefined && { retention: { conversationDays: options.retentionDays, securityLogDays: 90, usageDetailDays: 365 } }),
        defaultModel: options.defaultModel ?? 'gpt-4o-mini',
        allowedModels: options.allowedModels ?? ['gpt-4o-mini', ...FAULT_MODELS],
      },
    });
    if (options.apiKey !== null) {
      this.peers.credentials.set(tenantId, {
        keyId: randomUUID(),
        keyVersion: 1,
        provider: 'openai',
        baseUrl: (options.slow ? this.slowUpstream : this.upstream).url,
        apiKey: options.apiKey ?? UPSTREAM_KEY,
      });
    }
    return tenantId;
  }

  /** A session; the fake member directory records its role as the person's current one. */
  mint(options: MintOptions): { token: string; subjectId: string } {
    const { token, session } = this.sessions.mint(options);
    this.peers.roles.set(`${session.tenantId}/${session.subjectId}`, session.role);
    return { token, subjectId: session.subjectId };
  }

  async request(method: string, path: string, options: { token?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      ...(options.signal && { signal: options.signal }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: type.includes('application/json') && text ? JSON.parse(text) : undefined,
      events: type.includes('text/event-stream') ? parseSseEvents(text) : [],
    };
  }

  async newConversation(token: string, title?: string): Promise<string> {
    const res = await this.request('POST', '/v1/conversations', { token, body: title === undefined ? {} : { title } });
    if (res.status !== 201) throw new Error(`conversation not created: ${res.status} ${res.text}`);
    return (res.json as { id: string }).id;
  }

  chat(token: string, conversationId: string, content: string, model?: string): Promise<HttpResult> {
    return this.request('POST', `/v1/conversations/${conversationId}/messages`, { token, body: { content, ...(model && { model }) } });
  }

  async close(): Promise<void> {
    await this.app.close();
    for (const client of this.clients) client.close();
    this.peers.stop();
    await Promise.all([this.upstream.close(), this.slowUpstream.close()]);
    await this.redis.quit();
    await this.connection.dropDatabase().catch(() => undefined);
    await this.connection.close();
  }
}
