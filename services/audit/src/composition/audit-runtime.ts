import type { KeyObject } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Kafka } from 'kafkajs';
import { ensureTopics, EventStore, OutboxRelay } from '@enclave/eventing';
import type { Logger } from '@enclave/platform';
import { CheckpointScheduler } from '../checkpoints/application/checkpoint-scheduler';
import { MakeCheckpoint } from '../checkpoints/application/make-checkpoint';
import { CheckpointKey } from '../checkpoints/infrastructure/checkpoint-key';
import { MongoCheckpointStore } from '../checkpoints/infrastructure/mongo-checkpoint-store';
import { ExportBundle } from '../export/application/export-bundle';
import { AppendToLog } from '../log/application/append-to-log';
import { QueryTrail } from '../log/application/query-trail';
import { MongoAuditLog } from '../log/infrastructure/mongo-audit-log';
import { AuditBatchConsumer } from '../log/interface/audit-batch-consumer';
import { Prove } from '../merkle/application/prove';
import { TenantTrees } from '../merkle/application/tenant-trees';
import { MongoMerkleTreeStore } from '../merkle/infrastructure/mongo-merkle-tree-store';
import { auditedTopics, auditTopicName, type AuditedTopic } from '../shared/audit-topics';
import { RecordTrailAccess } from '../trail-events/application/record-trail-access';
import { EventStoreTrailAccess } from '../trail-events/infrastructure/event-store-trail-access';
import { VERIFY_PAGE_SIZE, VerifyLog } from '../verification/application/verify-log';
import { PrivacyRuntime, type PrivacyOptions } from '../privacy/privacy-runtime';

export const SERVICE_NAME = 'audit';

export interface AuditRuntimeOptions {
  connection: Connection;
  logger: Logger;
  /** Relay + consumer of every topic; absent when KAFKA_ENABLED=false. */
  kafka?: { client: Kafka; groupId?: string; topicSuffix?: string };
  /** The log's Ed25519 signing key; intervalMs 0 (default) leaves checkpoints to requests. */
  checkpoints: { signingKey: KeyObject; intervalMs?: number };
  clock?: () => Date;
  verifyPageSize?: number;
  /** Consent and data-subject rights (defaults: real clock, 30 days grace, jobs every minute, no export services). */
  privacy?: PrivacyOptions;
}

/**
 * Everything audit is made of, wired once: the log (audit_entries), its Merkle trees and signed
 * checkpoints, audit's own event store (the outbox of its own events), the use cases, the relay,
 * the consumer of every service topic and the checkpoint schedule. Nest calls start() on
 * bootstrap and stop() on shutdown.
 */
export class AuditRuntime {
  readonly topics: AuditedTopic[];
  readonly ownTopic: string;
  readonly store: EventStore;
  readonly log: MongoAuditLog;
  readonly treeStore: MongoMerkleTreeStore;
  readonly checkpointStore: MongoCheckpointStore;
  readonly trees: TenantTrees;
  readonly key: CheckpointKey;
  readonly relay: OutboxRelay | undefined;
  readonly consumer: AuditBatchConsumer | undefined;
  readonly append: AppendToLog;
  readonly queryTrail: QueryTrail;
  readonly verifyLog: VerifyLog;
  readonly makeCheckpoint: MakeCheckpoint;
  readonly scheduler: CheckpointScheduler;
  readonly prove: Prove;
  readonly exportBundle: ExportBundle;
  readonly privacy: PrivacyRuntime;

  constructor(private readonly options: AuditRuntimeOptions) {
    const { connection, logger, kafka } = options;
    const clock = options.clock ?? (() => new Date());
    const pageSize = options.verifyPageSize ?? VERIFY_PAGE_SIZE;
    this.topics = auditedTopics(kafka?.topicSuffix);
    this.ownTopic = auditTopicName(kafka?.topicSuffix);
    this.store = new EventStore(connection);
    this.log = new MongoAuditLog(connection);
    this.treeStore = new MongoMerkleTreeStore(connection);
    this.checkpointStore = new MongoCheckpointStore(connection);
    this.trees = new TenantTrees(this.log, this.treeStore);
    this.key = new CheckpointKey(options.checkpoints.signingKey);
    this.append = new AppendToLog(this.log);
    this.privacy = new PrivacyRuntime(connection, logger, options.privacy ?? {}, () => this.relay?.nudge());
    if (kafka) {
      this.relay = new OutboxRelay({ kafka: kafka.client, store: this.store, topic: this.ownTopic, logger: logger.child({ component: 'outbox-relay' }) });
      this.consumer = new AuditBatchConsumer({
        kafka: kafka.client,
        groupId: kafka.groupId ?? SERVICE_NAME,
        topics: this.topics,
        append: this.append,
        clock,
        fromBeginning: true,
        logger: logger.child({ component: 'consumer' }),
        onLogged: (drafts) => this.privacy.coordinator.onLogged(drafts),
      });
    }
    const record = new RecordTrailAccess(new EventStoreTrailAccess(this.store, () => this.relay?.nudge()));
    const checkpoints = this.checkpointStore;
    this.queryTrail = new QueryTrail(this.log, record);
    this.verifyLog = new VerifyLog({ log: this.log, checkpoints, trees: this.trees, key: this.key.verification, pageSize }, record);
    this.makeCheckpoint = new MakeCheckpoint({ trees: this.trees, log: this.log, checkpoints, signer: this.key, record, clock, logger });
    this.scheduler = new CheckpointScheduler(this.log, this.makeCheckpoint, options.checkpoints.intervalMs ?? 0, logger.child({ component: 'checkpoints' }), () =>
      this.append.takeTouched(),
    );
    this.prove = new Prove({ log: this.log, trees: this.trees, checkpoints });
    this.exportBundle = new ExportBundle({
      log: this.log,
      checkpoints,
      trees: this.trees,
      makeCheckpoint: this.makeCheckpoint,
      record,
      publicKey: { keyId: this.key.keyId, spki: this.key.published.spki },
      clock,
      pageSize,
    });
  }

  async start(): Promise<void> {
    await this.store.init();
    await this.log.init();
    await this.treeStore.init();
    await this.checkpointStore.init();
    await this.privacy.start();
    if (this.options.kafka) {
      await ensureTopics(this.options.kafka.client, this.topics.flatMap(({ topic }) => [topic.name, topic.dlq]));
    }
    await this.relay?.start();
    await this.consumer?.start();
    this.scheduler.start();
    this.options.logger.info({ topics: this.topics.length, kafka: Boolean(this.relay), checkpointKeyId: this.key.keyId }, 'audit runtime started');
  }

  /** The schedule first, then the consumer (no new entries), the privacy jobs, then the relay (its batch in flight finishes). */
  async stop(): Promise<void> {
    await this.scheduler.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'checkpoint schedule stop failed'));
    await this.consumer?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'consumer stop failed'));
    await this.privacy.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'privacy jobs stop failed'));
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
