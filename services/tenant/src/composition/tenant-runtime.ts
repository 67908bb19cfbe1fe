import type { Connection } from 'mongoose';
import type { Kafka } from 'kafkajs';
import { privacyV1, tenantV1 } from '@enclave/proto';
import { ensureTopics, EventStore, IdempotentConsumer, OutboxRelay } from '@enclave/eventing';
import { GrpcServerHost, uuidv7, type Logger, type ServiceTrust } from '@enclave/platform';
import {
  AddMember,
  ChangeMemberRole,
  ChangeSettings,
  CreateInstance,
  ExportSubjectData,
  OwnershipTransfer,
  PurgeSubject,
  RemoveMember,
  TenantQueries,
  type AccountRegistry,
  type CommandDeps,
  type EventPublisher,
} from '../application';
import { EventStoreTenantStream } from '../infrastructure/event-store-tenant-stream';
import { projectionRepairHandler } from '../infrastructure/projection-repair.handler';
import { MongoTenantProjections } from '../infrastructure/projections/mongo-tenant-projections';
import { auditTopic, TENANT_TOPIC } from '../infrastructure/tenant-topic';
import { MEMBER_DIRECTORY_CALLERS, memberDirectoryGrpcHandlers } from '../interface/grpc/member-directory.handlers';
import { SUBJECT_DATA_CALLERS, subjectDataGrpcHandlers } from '../interface/grpc/subject-data.handlers';
import { TENANT_SETTINGS_CALLERS, tenantGrpcHandlers } from '../interface/grpc/tenant-grpc.handlers';
import { auditEventsHandler } from '../interface/kafka/audit-events.handler';

export const SERVICE_NAME = 'tenant';

export interface TenantRuntimeOptions {
  connection: Connection;
  logger: Logger;
  accounts: AccountRegistry;
  defaultModel: string;
  /**
   * Relay + consumer (our own topic for projection repair, audit's for erasures); absent when
   * KAFKA_ENABLED=false. `auditTopic` overrides audit's topic name (tests only).
   */
  kafka?: { client: Kafka; consumerGroup?: string; auditTopic?: string };
  /** TenantService gRPC server; absent when GRPC_ENABLED=false. */
  grpc?: { host: string; port: number; trust: ServiceTrust };
  newTenantId?: () => string;
}

/**
 * Everything the tenant service is made of, wired once: the event store (also the outbox), the
 * projections, the use cases, the relay, the consumer of our own topic and the gRPC server.
 * Nest calls start() on bootstrap and stop() on shutdown (see tenant-lifecycle.ts).
 */
export class TenantRuntime {
  readonly store: EventStore;
  readonly projections: MongoTenantProjections;
  readonly relay: OutboxRelay | undefined;
  readonly consumer: IdempotentConsumer | undefined;
  readonly grpcServer: GrpcServerHost | undefined;
  readonly createInstance: CreateInstance;
  readonly addMember: AddMember;
  readonly removeMember: RemoveMember;
  readonly changeMemberRole: ChangeMemberRole;
  readonly ownershipTransfer: OwnershipTransfer;
  readonly changeSettings: ChangeSettings;
  readonly queries: TenantQueries;
  readonly purgeSubject: PurgeSubject;
  readonly exportSubjectData: ExportSubjectData;
  private readonly auditTopicName: string | undefined;
  private grpcBoundPort: number | undefined;

  constructor(private readonly options: TenantRuntimeOptions) {
    const log = options.logger;
    this.store = new EventStore(options.connection);
    this.projections = new MongoTenantProjections(options.connection);
    const kafka = options.kafka;
    const stream = new EventStoreTenantStream(this.store);
    const publisher: EventPublisher = { nudge: () => this.relay?.nudge() };
    const deps: CommandDeps = { store: stream, projections: this.projections, publisher };
    this.purgeSubject = new PurgeSubject({ ...deps, confirmations: stream });
    this.exportSubjectData = new ExportSubjectData(this.projections);
    if (kafka) {
      const audit = auditTopic(kafka.auditTopic);
      this.auditTopicName = audit.name;
      this.relay = new OutboxRelay({ kafka: kafka.client, store: this.store, topic: TENANT_TOPIC.name, logger: log.child({ component: 'outbox-relay' }) });
      this.consumer = new IdempotentConsumer({
        kafka: kafka.client,
        groupId: kafka.consumerGroup ?? 'tenant-projections',
        connection: options.connection,
        fromBeginning: true,
        logger: log.child({ component: 'projection-consumer' }),
      })
        .on(TENANT_TOPIC, projectionRepairHandler(this.projections))
        .on(audit, auditEventsHandler(this.purgeSubject));
    }
    this.createInstance = new CreateInstance({ ...deps, accounts: options.accounts, newTenantId: options.newTenantId ?? uuidv7, defaultModel: options.defaultModel });
    this.addMember = new AddMember({ ...deps, accounts: options.accounts });
    this.removeMember = new RemoveMember(deps);
    this.changeMemberRole = new ChangeMemberRole(deps);
    this.ownershipTransfer = new OwnershipTransfer(deps);
    this.changeSettings = new ChangeSettings(deps);
    this.queries = new TenantQueries(this.projections);
    if (options.grpc) {
      this.grpcServer = new GrpcServerHost({ serviceName: SERVICE_NAME, trust: options.grpc.trust, logger: log.child({ component: 'grpc' }) })
        .addService(tenantV1.TenantServiceService, tenantGrpcHandlers(this.queries), { callers: TENANT_SETTINGS_CALLERS })
        .addService(privacyV1.SubjectDataServiceService, subjectDataGrpcHandlers(this.exportSubjectData), { callers: SUBJECT_DATA_CALLERS })
        .addService(tenantV1.MemberDirectoryServiceService, memberDirectoryGrpcHandlers(this.queries), { callers: MEMBER_DIRECTORY_CALLERS });
    }
  }

  /** The bound gRPC port (useful when configured with port 0). */
  get grpcPort(): number | undefined {
    return this.grpcBoundPort;
  }

  async start(): Promise<void> {
    await this.store.init();
    await this.projections.init();
    if (this.options.kafka && this.auditTopicName) {
      const audit = auditTopic(this.auditTopicName);
      await ensureTopics(this.options.kafka.client, [TENANT_TOPIC.name, TENANT_TOPIC.dlq, audit.name, audit.dlq]);
    }
    await this.relay?.start();
    await this.consumer?.start();
    if (this.grpcServer && this.options.grpc) {
      this.grpcBoundPort = await this.grpcServer.start(this.options.grpc.host, this.options.grpc.port);
    }
    this.options.logger.info({ grpcPort: this.grpcBoundPort, kafka: Boolean(this.relay) }, 'tenant runtime started');
  }

  /** gRPC first (no new reads), then the consumer, then the relay (its batch in flight finishes). */
  async stop(): Promise<void> {
    await this.grpcServer?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'gRPC stop failed'));
    await this.consumer?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'consumer stop failed'));
    await this.relay?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'relay stop failed'));
  }

  /** Readiness: the database answers. */
  async databaseReady(): Promise<boolean> {
    const db = this.options.connection.db;
    if (!db || this.options.connection.readyState !== 1) return false;
    await db.admin().ping();
    return true;
  }
}
