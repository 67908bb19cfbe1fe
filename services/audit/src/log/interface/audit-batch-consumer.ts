// Consumes every service topic a partition batch at a time (kafkajs eachBatch) into the log. No
// processed-event markers: the log's unique event id is the idempotency key, so a redelivered
// batch appends nothing twice, and each batch costs one insertMany per tenant instead of several
// round trips per message. Offsets are committed by hand, after the batch is logged or parked;
// a crash or stop before that redelivers it.
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DLQ_HEADERS, dlqTopic, ensureTopics, subscribeWithRetry, type BackoffOptions } from '@enclave/eventing';
import type { Logger } from '@enclave/platform';
import type { AuditedTopic } from '../../shared/audit-topics';
import type { AppendToLog } from '../application/append-to-log';
import type { EntryDraft } from '../domain/audit-entry';
import { ingestBatch } from './ingest-batch';

export interface AuditBatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly AuditedTopic[];
  append: AppendToLog;
  clock: () => Date;
  logger: Logger;
  fromBeginning?: boolean;
  /** Tries of a batch (then of each of its messages) before parking; default 5. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Partitions handled at once (tenants of different partitions append in parallel); default 3. */
  partitionsConsumedConcurrently?: number;
  /** Told of each batch of drafts now in the log (must not throw; privacy steps start here). */
  onLogged?: (drafts: readonly EntryDraft[]) => void;
}

const BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 10_000, factor: 2, jitter: 0.2 };

export class AuditBatchConsumer {
  private readonly byName: Map<string, AuditedTopic>;
  private consumer: Consumer | undefined;
  private dlq: Producer | undefined;
  private stopping = false;
  private readonly wakers = new Set<() => void>();

  constructor(private readonly options: AuditBatchConsumerOptions) {
    this.byName = new Map(options.topics.map((t) => [t.topic.name, t]));
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    const { kafka, groupId } = this.options;
    this.stopping = false;
    this.dlq = kafka.producer({ allowAutoTopicCreation: true });
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: true });
    try {
      const topics = [...this.byName.keys()];
      await ensureTopics(kafka, [...topics, ...topics.map(dlqTopic)]);
      await this.dlq.connect();
      await this.consumer.connect();
      await subscribeWithRetry(this.consumer, { topics, fromBeginning: this.options.fromBeginning ?? false });
      if (this.stopping || !this.consumer) throw new Error('consumer stopped during start-up');
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
        eachBatch: (payload) => this.eachBatch(payload),
      });
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  /** Interrupts retries; a batch not yet committed is redelivered to the partition's next owner. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.wakers]) wake();
    await this.consumer?.disconnect();
    await this.dlq?.disconnect();
    this.consumer = undefined;
    this.dlq = undefined;
  }

  private async eachBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    const topic = this.byName.get(batch.topic);
    if (!topic) throw new Error(`no handler for topic ${batch.topic}`);
    if (batch.messages.length === 0 || this.stopping) return;
    const logger = this.options.logger;
    const outcome = await ingestBatch(
      {
        append: this.options.append,
        clock: this.options.clock,
        deadLetter: (message, reason) => this.deadLetter(batch.topic, batch.partition, message, reason),
        maxAttempts: this.options.maxAttempts ?? 5,
        backoff: this.options.backoff ?? BACKOFF,
        sleep: (ms) => this.sleep(ms),
        interrupted: () => this.stopping || !isRunning() || isStale(),
        heartbeat,
        ...(this.options.onLogged && { onLogged: this.options.onLogged }),
        onRetry: (err, attempt) => logger.warn({ err, topic: batch.topic, partition: batch.partition, attempt }, 'appending a batch to the audit log failed; retrying'),
      },
      topic,
      batch.messages,
    );
    if (outcome === 'interrupted' || this.stopping || !isRunning() || isStale()) return;
    // Resolving moves this consumer's fetch position past the batch (else kafkajs fetches it again);
    // committing moves the group's, so the next owner of the partition starts after it too.
    resolveOffset(batch.lastOffset());
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    await this.consumer?.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
  }

  /** The raw message, unchanged, plus headers saying where it came from and why it was parked. */
  private async deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    if (!this.dlq) throw new Error('consumer is stopped');
    this.options.logger.error({ topic, partition, offset: message.offset, reason }, 'parking an event on the dead-letter topic');
    await this.dlq.send({
      topic: dlqTopic(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...(message.headers ?? {}),
            [DLQ_HEADERS.reason]: reason.replace(/\s+/g, ' ').trim().slice(0, 500) || 'unknown',
            [DLQ_HEADERS.topic]: topic,
            [DLQ_HEADERS.partition]: String(partition),
            [DLQ_HEADERS.offset]: message.offset,
            [DLQ_HEADERS.at]: new Date().toISOString(),
            [DLQ_HEADERS.consumer]: this.options.groupId,
          },
        },
      ],
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}
