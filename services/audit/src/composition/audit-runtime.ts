import type { Connection } from 'mongoose';
import type { Kafka } from 'kafkajs';
import { EventStore, IdempotentConsumer, OutboxRelay } from '@enclave/eventing';
import type { Logger } from '@enclave/platform';
import { AppendToLog } from '../log/application/append-to-log';
import { QueryTrail } from '../log/application/query-trail';
import { VerifyLog } from '../log/application/verify-log';
import { MongoAuditLog } from '../log/infrastructure/mongo-audit-log';
import { registerAuditHandlers } from '../log/interface/audit-event-handler';
import { auditedTopics, auditTopicName, type AuditedTopic } from '../shared/audit-topics';
import { ensureTopics } from '../shared/ensure-topics';
import { RecordTrailAccess } from '../trail-events/application/record-trail-access';
import { EventStoreTrailAccess } from '../trail-events/infrastructure/event-store-trail-access';

export const SERVICE_NAME = 'audit';

export interface AuditRuntimeOptions {
  connection: Connection;
  logger: Logger;
  /** Relay + consumer of every topic; absent when KAFKA_ENABLED=false. */
  kafka?: { client: Kafka; groupId?: string; topicSuffix?: string };
  clock?: () => Date;
  verifyPageSize?: number;
}

/**
 * Everything audit is made of, wired once: the log (audit_entries), audit's own event store
 * (the outbox of AuditTrailQueried / AuditLogVerified), the use cases, the relay and the
 * consumer of every service topic. Nest calls start() on bootstrap and stop() on shutdown.
 */
export class AuditRuntime {
  readonly topics: AuditedTopic[];
  readonly ownTopic: string;
  readonly store: EventStore;
  readonly log: MongoAuditLog;
  readonly relay: OutboxRelay | undefined;
  readonly consumer: IdempotentConsumer | undefined;
  readonly append: AppendToLog;
  readonly queryTrail: QueryTrail;
  readonly verifyLog: VerifyLog;

  constructor(private readonly options: AuditRuntimeOptions) {
    const { connection, logger, kafka } = options;
    const clock = options.clock ?? (() => new Date());
    this.topics = auditedTopics(kafka?.topicSuffix);
    this.ownTopic = auditTopicName(kafka?.topicSuffix);
    this.store = new EventStore(connection);
    this.log = new MongoAuditLog(connection);
    this.append = new AppendToLog(this.log);
    if (kafka) {
      this.relay = new OutboxRelay({ kafka: kafka.client, store: this.store, topic: this.ownTopic, logger: logger.child({ component: 'outbox-relay' }) });
      const consumer = new IdempotentConsumer({
        kafka: kafka.client,
        groupId: kafka.groupId ?? SERVICE_NAME,
        connection,
        fromBeginning: true,
        logger: logger.child({ component: 'consumer' }),
      });
      this.consumer = registerAuditHandlers(consumer, this.topics, this.append, clock);
    }
    const record = new RecordTrailAccess(new EventStoreTrailAccess(this.store, () => this.relay?.nudge()));
    this.queryTrail = new QueryTrail(this.log, record);
    this.verifyLog = new VerifyLog(this.log, record, options.verifyPageSize);
  }

  async start(): Promise<void> {
    await this.store.init();
    await this.log.init();
    if (this.options.kafka) {
      await ensureTopics(this.options.kafka.client, this.topics.flatMap(({ topic }) => [topic.name, topic.dlq]));
    }
    await this.relay?.start();
    await this.consumer?.start();
    this.options.logger.info({ topics: this.topics.length, kafka: Boolean(this.relay) }, 'audit runtime started');
  }

  /** The consumer first (no new entries), then the relay (its batch in flight finishes). */
  async stop(): Promise<void> {
    await this.consumer?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'consumer stop failed'));
    await this.relay?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'relay stop failed'));
  }

  /** Readiness: the database answers. */
  async ready(): Promise<boolean> {
    const db = this.options.connection.db;
    if (!db || this.options.connection.readyState !== 1) return false;
    await db.admin().ping();
    return true;
  }
}
