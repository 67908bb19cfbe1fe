import type { Connection } from 'mongoose';
import type { Kafka } from 'kafkajs';
import type Redis from 'ioredis';
import { privacyV1, type chatGatewayV1 } from '@enclave/proto';
import { BatchConsumer, ensureTopics, EventStore, IdempotentConsumer, OutboxRelay } from '@enclave/eventing';
import { GrpcServerHost, PeriodicJob, type Logger, type ServiceTrust } from '@enclave/platform';
import { ExportSubjectUsage } from '../privacy/application/export-subject-usage';
import { PurgeSubjectUsage } from '../privacy/application/purge-subject-usage';
import { UsageDetailRetention } from '../privacy/application/usage-detail-retention';
import { EventStorePrivacyLog } from '../privacy/infrastructure/event-store-privacy-log';
import { MongoTenantRetention } from '../privacy/infrastructure/mongo-tenant-retention';
import { SUBJECT_DATA_CALLERS, subjectDataGrpcHandlers } from '../privacy/interface/subject-data.handlers';
import { ApplyDefaultQuota } from '../quota/application/apply-default-quota';
import { CheckExhaustion } from '../quota/application/check-exhaustion';
import { ProjectQuotaEvent } from '../quota/application/project-quota-event';
import { ResyncQuotaCache } from '../quota/application/resync-quota-cache';
import { RunQuotaCommand } from '../quota/application/run-quota-command';
import { SetQuota } from '../quota/application/set-quota';
import type { MonthlyTokenQuota } from '../quota/domain/quota-status';
import { EventStoreQuotaStream } from '../quota/infrastructure/event-store-quota-stream';
import { MongoQuotaReadModel } from '../quota/infrastructure/mongo-quota-read-model';
import { RedisQuotaCache } from '../quota/infrastructure/redis-quota-cache';
import { registerBillingHandlers } from '../interface/billing-event-handlers';
import { billingTopics, type BillingTopics } from '../shared/billing-topics';
import { GetUsageReport } from '../usage/application/get-usage-report';
import { ProjectUsageBatch } from '../usage/application/project-usage-batch';
import { MongoUsageDetail } from '../usage/infrastructure/mongo-usage-detail';
import { MongoUsageLedger } from '../usage/infrastructure/mongo-usage-ledger';
import { MongoUsageRollups } from '../usage/infrastructure/mongo-usage-rollups';
import { usageBatchHandler } from '../usage/interface/usage-batch-handler';

export const SERVICE_NAME = 'billing';

export interface BillingRuntimeOptions {
  connection: Connection;
  redis: Redis;
  logger: Logger;
  /** Quota of a new tenant; null = unlimited. */
  defaultMonthlyTokenQuota: MonthlyTokenQuota;
  /** Relay + consumers; absent when KAFKA_ENABLED=false. */
  kafka?: { client: Kafka; groupId?: string; topicSuffix?: string };
  clock?: () => Date;
  /** SubjectDataService server for audit; absent when GRPC_ENABLED=false. */
  grpc?: { host: string; port: number; trust: ServiceTrust };
  /** Usage-detail retention runs every this many ms (default 1 h); 0 = no timer (tests call runOnce). */
  retentionIntervalMs?: number;
}

/**
 * Everything billing is made of, wired once: event store (outbox) for the quota stream, usage
 * totals and quota read model in Mongo, the Redis copy for the gateway, use cases, the relay
 * and the consumer. Nest calls start() on bootstrap and stop() on shutdown.
 */
export class BillingRuntime {
  readonly topics: BillingTopics;
  readonly store: EventStore;
  readonly ledger: MongoUsageLedger;
  readonly totals: MongoUsageRollups;
  readonly detail: MongoUsageDetail;
  readonly quotas: MongoQuotaReadModel;
  readonly cache: RedisQuotaCache;
  readonly relay: OutboxRelay | undefined;
  readonly consumer: IdempotentConsumer | undefined;
  /** The chat-gateway topic's usage, in batches, under its own group (`<groupId>-usage`). */
  readonly usageConsumer: BatchConsumer<chatGatewayV1.ChatGatewayEvent> | undefined;
  readonly setQuota: SetQuota;
  readonly getUsageReport: GetUsageReport;
  readonly projectUsage: ProjectUsageBatch;
  readonly resync: ResyncQuotaCache;
  readonly tenantRetention: MongoTenantRetention;
  readonly purgeSubjectUsage: PurgeSubjectUsage;
  readonly exportSubjectUsage: ExportSubjectUsage;
  readonly retention: UsageDetailRetention;
  private retentionJob: PeriodicJob | undefined;
  readonly grpcServer: GrpcServerHost | undefined;
  private grpcBoundPort: number | undefined;

  constructor(private readonly options: BillingRuntimeOptions) {
    const { connection, logger } = options;
    const clock = options.clock ?? (() => new Date());
    this.topics = billingTopics(options.kafka?.topicSuffix);
    this.store = new EventStore(connection);
    this.ledger = new MongoUsageLedger(connection);
    this.totals = new MongoUsageRollups(connection);
    this.detail = new MongoUsageDetail(connection);
    this.quotas = new MongoQuotaReadModel(connection, clock);
    this.cache = new RedisQuotaCache(options.redis);
    if (options.kafka) {
      this.relay = new OutboxRelay({ kafka: options.kafka.client, store: this.store, topic: this.topics.billing.name, logger: logger.child({ component: 'outbox-relay' }) });
    }
    const run = new RunQuotaCommand(new EventStoreQuotaStream(this.store, () => this.relay?.nudge()), this.quotas, this.cache, logger);
    const checkExhaustion = new CheckExhaustion(this.quotas, run);
    this.setQuota = new SetQuota(run);
    this.getUsageReport = new GetUsageReport(this.totals, this.quotas, clock);
    this.projectUsage = new ProjectUsageBatch(this.ledger, this.totals, checkExhaustion);
    this.resync = new ResyncQuotaCache(this.quotas, this.totals, this.cache, clock);
    this.tenantRetention = new MongoTenantRetention(connection);
    const privacyLog = new EventStorePrivacyLog(this.store, () => this.relay?.nudge());
    this.purgeSubjectUsage = new PurgeSubjectUsage(this.detail, privacyLog);
    this.exportSubjectUsage = new ExportSubjectUsage(this.detail);
    this.retention = new UsageDetailRetention(this.detail, this.tenantRetention, privacyLog, logger);
    if (options.grpc) {
      this.grpcServer = new GrpcServerHost({ serviceName: SERVICE_NAME, trust: options.grpc.trust, logger: logger.child({ component: 'grpc' }) })
        .addService(privacyV1.SubjectDataServiceService, subjectDataGrpcHandlers(this.exportSubjectUsage), { callers: SUBJECT_DATA_CALLERS });
    }
    if (options.kafka) {
      const consumer = new IdempotentConsumer({
        kafka: options.kafka.client,
        groupId: options.kafka.groupId ?? SERVICE_NAME,
        connection,
        fromBeginning: true,
        logger: logger.child({ component: 'consumer' }),
      });
      this.usageConsumer = new BatchConsumer({
        kafka: options.kafka.client,
        groupId: `${options.kafka.groupId ?? SERVICE_NAME}-usage`,
        topic: this.topics.chatGateway,
        handle: usageBatchHandler(this.projectUsage),
        // Each batch writes each touched (tenant, month, member) once: bigger batches of a backlog, fewer writes per event.
        maxBytesPerPartition: 8 * 1024 * 1024,
        fromBeginning: true,
        logger: logger.child({ component: 'usage-consumer' }),
      });
      this.consumer = registerBillingHandlers(consumer, this.topics, {
        applyDefaultQuota: new ApplyDefaultQuota(run, options.defaultMonthlyTokenQuota),
        projectQuotaEvent: new ProjectQuotaEvent(this.quotas, this.cache, this.totals, checkExhaustion, clock),
        purgeSubjectUsage: this.purgeSubjectUsage,
        tenantRetention: this.tenantRetention,
      });
    }
  }

  /** The bound gRPC port (useful when configured with port 0). */
  get grpcPort(): number | undefined {
    return this.grpcBoundPort;
  }

  async start(): Promise<void> {
    await this.store.init();
    await this.ledger.init();
    await this.totals.init();
    await this.quotas.init();
    await this.tenantRetention.init();
    // Before consuming: the gateway may read Redis as soon as billing is up.
    const synced = await this.resync.execute();
    if (this.options.kafka) {
      const { billing, chatGateway, tenant, audit } = this.topics;
      await ensureTopics(this.options.kafka.client, [billing, chatGateway, tenant, audit].flatMap((t) => [t.name, t.dlq]));
    }
    await this.relay?.start();
    await this.consumer?.start();
    await this.usageConsumer?.start();
    const retentionMs = this.options.retentionIntervalMs ?? 3_600_000;
    if (retentionMs > 0) {
      const clock = this.options.clock ?? (() => new Date());
      this.retentionJob = new PeriodicJob(retentionMs, () => this.retention.runOnce(clock()), (err) =>
        this.options.logger.warn({ err: (err as Error).name }, 'usage detail retention run failed; retried next interval'),
      );
      this.retentionJob.start();
    }
    if (this.grpcServer && this.options.grpc) {
      this.grpcBoundPort = await this.grpcServer.start(this.options.grpc.host, this.options.grpc.port);
    }
    this.options.logger.info({ ...synced, kafka: Boolean(this.relay), grpcPort: this.grpcBoundPort }, 'billing runtime started');
  }

  /** gRPC and the retention timer first, then the consumer (no new usage), then the relay (its batch in flight finishes). */
  async stop(): Promise<void> {
    await this.grpcServer?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'gRPC stop failed'));
    await this.retentionJob?.stop();
    await this.usageConsumer?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'usage consumer stop failed'));
    await this.consumer?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'consumer stop failed'));
    await this.relay?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'relay stop failed'));
  }

  /** Readiness: the database and Redis answer. */
  async ready(): Promise<boolean> {
    const db = this.options.connection.db;
    if (!db || this.options.connection.readyState !== 1) return false;
    await db.admin().ping();
    return (await this.options.redis.ping()) === 'PONG';
  }
}
