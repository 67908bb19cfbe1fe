import type { Connection } from 'mongoose';
import type { Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import { IdempotentConsumer, type EventStore } from '@enclave/eventing';
import { GrpcServerHost, PeriodicJob, uuidv7, type Logger, type ServiceTrust } from '@enclave/platform';
import type { MemberRoles } from '@enclave/privacy';
import { privacyV1 } from '@enclave/proto';
import { SERVICE_NAME } from '../config';
import type { HistoryCipher } from '../conversations/application/history-cipher';
import type { ReadConversations } from '../conversations/application/read-conversations';
import type { ConversationRepository } from '../conversations/infrastructure/conversation.repository';
import { conversationModel } from '../conversations/infrastructure/conversation.schema';
import type { MessageRepository } from '../conversations/infrastructure/message.repository';
import type { ChatGatewayEvent } from '../events/domain/chat-gateway-event';
import { ExportSubjectData } from '../privacy/application/export-subject-data';
import type { PrivacyRegistry } from '../privacy/application/privacy-registry';
import { PrivacyStateLoader } from '../privacy/application/privacy-state-loader';
import { PurgeSubjectData } from '../privacy/application/purge-subject-data';
import { ReadMemberChats } from '../privacy/application/read-member-chats';
import { RecordPrivacyChange } from '../privacy/application/record-privacy-change';
import { PrivacyStateRepository } from '../privacy/infrastructure/privacy-state.repository';
import { privacyStateModel } from '../privacy/infrastructure/privacy-state.schema';
import { deleteSubjectRedisKeys } from '../privacy/infrastructure/subject-redis-keys';
import { auditEventsHandler, auditTopic } from '../privacy/interface/audit-events';
import { SUBJECT_DATA_CALLERS, subjectDataGrpcHandlers } from '../privacy/interface/subject-data.grpc';
import { ConversationRetention } from '../retention/application/conversation-retention';
import { conversationTenants } from '../retention/infrastructure/conversation-tenants';
import { RedisLock } from '../retention/infrastructure/redis-lock';
import type { Clock } from '../shared/clock';
import type { TenantSettingsCache } from '../tenant-settings/application/tenant-settings-cache';
import { VirtualKeyRepository } from '../virtual-keys/infrastructure/virtual-key.repository';
import { virtualKeyModel } from '../virtual-keys/infrastructure/virtual-key.schema';

export interface PrivacyOptions {
  /** SubjectDataService gRPC server (audit's exports); absent when GRPC_ENABLED=false. */
  grpc?: { host: string; port: number; trust: ServiceTrust };
  /** Shared consumer group of the audit-topic handler (KAFKA_GROUP_ID). */
  consumerGroup?: string;
  /** Where a new audit consumer group starts: earliest (default true: every privacy fact so far). */
  auditFromBeginning?: boolean;
  /** RETENTION_INTERVAL_MS; 0 = no timer (runOnce only). */
  retentionIntervalMs?: number;
  /** How often the persisted privacy rows are reloaded into memory (default 60 s). */
  privacyRefreshMs?: number;
}

export interface PrivacyWiringDeps {
  connection: Connection;
  redis: Redis;
  kafka?: Kafka;
  store: EventStore;
  /** Durable before it resolves (MemberChatRead is the member's privacy receipt). */
  record: (event: ChatGatewayEvent) => Promise<void>;
  settings: TenantSettingsCache;
  conversations: ConversationRepository;
  messages: MessageRepository;
  /** Drops cached chat contexts of deleted conversations on every replica. */
  forgetContexts: (tenant: string, conversationIds: readonly string[]) => Promise<void>;
  reader: ReadConversations;
  cipher: HistoryCipher;
  registry: PrivacyRegistry;
  /** Tenant's member directory (admin reads rank the reader against the member's current role). */
  memberRoles: MemberRoles;
  clock: Clock;
  logger: Logger;
  nudgeRelay: () => void;
  options: PrivacyOptions;
}

/** Issue #5 in chat-gateway: privacy rows, audit-topic handler, purge, admin reads, export, retention. */
export class PrivacyWiring {
  readonly rows: PrivacyStateRepository;
  readonly loader: PrivacyStateLoader;
  readonly purge: PurgeSubjectData;
  readonly exporter: ExportSubjectData;
  readonly readMemberChats: ReadMemberChats;
  readonly retention: ConversationRetention;
  private retentionJob: PeriodicJob | undefined;
  readonly consumer: IdempotentConsumer | undefined;
  readonly grpcServer: GrpcServerHost | undefined;
  private grpcBoundPort: number | undefined;
  private readonly model;

  constructor(private readonly deps: PrivacyWiringDeps) {
    const { logger, options } = deps;
    this.model = privacyStateModel(deps.connection);
    this.rows = new PrivacyStateRepository(this.model);
    this.loader = new PrivacyStateLoader(this.rows, deps.registry, logger.child({ component: 'privacy-state' }));
    this.purge = new PurgeSubjectData({
      conversations: deps.conversations, messages: deps.messages, privacyRows: this.rows,
      deleteRedisKeys: (tenantId, subjectId) => deleteSubjectRedisKeys(deps.redis, tenantId, subjectId),
      registry: deps.registry, cipher: deps.cipher, store: deps.store, onAppended: deps.nudgeRelay,
      clock: deps.clock, logger: logger.child({ component: 'subject-purge' }),
    });
    this.exporter = new ExportSubjectData({
      conversations: deps.conversations, reader: deps.reader, privacyRows: this.rows,
      virtualKeys: new VirtualKeyRepository(virtualKeyModel(deps.connection)),
      settings: deps.settings, privacy: deps.registry, record: deps.record,
    });
    this.readMemberChats = new ReadMemberChats({ conversations: deps.reader, settings: deps.settings, privacy: deps.registry, memberRoles: deps.memberRoles, record: deps.record });
    this.retention = new ConversationRetention({
      tenants: () => conversationTenants(conversationModel(deps.connection)),
      settings: deps.settings, conversations: deps.conversations, messages: deps.messages, forgetContexts: deps.forgetContexts,
      store: deps.store, onAppended: deps.nudgeRelay,
      lock: new RedisLock(deps.redis, 'enclave:lock:chat-gateway:retention-conversations'),
      lockTtlMs: 10 * 60_000, newId: uuidv7, clock: deps.clock, logger: logger.child({ component: 'retention' }),
    });
    if (deps.kafka) {
      this.consumer = new IdempotentConsumer({
        kafka: deps.kafka,
        groupId: options.consumerGroup ?? SERVICE_NAME,
        connection: deps.connection,
        fromBeginning: options.auditFromBeginning ?? true,
        logger: logger.child({ component: 'audit-consumer' }),
      }).on(auditTopic, auditEventsHandler(new RecordPrivacyChange(this.rows, deps.registry), this.purge));
    }
    if (options.grpc) {
      this.grpcServer = new GrpcServerHost({ serviceName: SERVICE_NAME, trust: options.grpc.trust, logger: logger.child({ component: 'grpc' }) })
        .addService(privacyV1.SubjectDataServiceService, subjectDataGrpcHandlers(this.exporter), { callers: SUBJECT_DATA_CALLERS });
    }
  }

  get grpcPort(): number | undefined {
    return this.grpcBoundPort;
  }

  /** Rows loaded before anything is served; then the consumer, gRPC and the timers. */
  async start(): Promise<void> {
    const { options } = this.deps;
    await this.model.createIndexes();
    await this.loader.load();
    await this.consumer?.start();
    if (this.grpcServer && options.grpc) this.grpcBoundPort = await this.grpcServer.start(options.grpc.host, options.grpc.port);
    this.loader.start(options.privacyRefreshMs ?? 60_000);
    if (options.retentionIntervalMs) {
      this.retentionJob = new PeriodicJob(options.retentionIntervalMs, () => this.retention.runOnce(this.deps.clock()), (err) =>
        this.deps.logger.warn({ err }, 'conversation retention run failed'),
      );
      this.retentionJob.start();
    }
  }

  async stop(): Promise<void> {
    const warn = (what: string) => (err: unknown) => this.deps.logger.warn({ err }, `${what} stop failed`);
    await this.grpcServer?.stop().catch(warn('gRPC'));
    this.loader.stop();
    await this.retentionJob?.stop();
    await this.consumer?.stop().catch(warn('audit consumer'));
  }
}
