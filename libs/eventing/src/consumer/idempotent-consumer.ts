import type { Connection } from 'mongoose';
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { PeriodicJob } from '@enclave/platform';
import { dlqTopic, type Topic } from '../bus/topic';
import { ensureTopics } from '../bus/ensure-topics';
import { subscribeWithRetry } from '../bus/subscribe-with-retry';
import type { BackoffOptions } from '../support/backoff';
import { InterruptibleSleep } from '../support/interruptible-sleep';
import { defaultLogger, type EventingLogger } from '../support/logger';
import type { EventHandler } from './consumed-event';
import { deadLetterMessage } from './dead-letter';
import { processMessage, type ProcessDeps } from './process-message';
import { ProcessedEvents } from './processed-events';

export interface IdempotentConsumerOptions {
  kafka: Kafka;
  groupId: string;
  /** Database holding the processed-event markers (the consuming service's own). */
  connection: Connection;
  /** Name the markers are kept under; default groupId. */
  consumerName?: string;
  processedCollection?: string;
  /** Handler tries per delivery before the message is dead-lettered; default 5. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Where a new group starts on a topic: earliest (true) or latest (default false). */
  fromBeginning?: boolean;
  /** Longest a fetch waits for new messages (kafkajs default 5000); stop() may wait this long. */
  maxWaitTimeInMs?: number;
  logger?: EventingLogger;
  /**
   * How long handled events are remembered (default 30 days, far beyond any Kafka retention a
   * redelivery could come from); older markers are pruned every `markerPruneIntervalMs`
   * (default 1 h; 0 = never) while the consumer runs.
   */
  markerRetentionMs?: number;
  markerPruneIntervalMs?: number;
  /** Clock of the marker retention (tests inject one). */
  now?: () => number;
}

export const DEFAULT_MARKER_RETENTION_MS = 30 * 86_400_000;

const DEFAULT_CONSUMER_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 10_000, factor: 2, jitter: 0.2 };

/**
 * Consumes typed topics with at-least-once delivery made effectively-once by processed-event
 * markers. Offsets are committed by hand (offset+1) only after a message was handled, found to
 * be a duplicate, or dead-lettered, so a crash before the commit redelivers it. eachMessage runs
 * one message at a time per partition, which keeps per-tenant order.
 *
 * Contract for handlers (no transactions): the handler's writes and the processed marker are
 * separate, so a crash between them re-runs the handler on redelivery. Make writes idempotent:
 * upsert keyed by ctx.eventId, or store the stream version a read model reflects and update only
 * from the previous one; wrap non-idempotent side effects in ctx.once(key, fn).
 *
 * stop() interrupts: a message in a retry backoff, or whose handling is finishing, is not
 * committed and will be redelivered to the partition's next owner (and skipped if processed).
 */
export class IdempotentConsumer {
  private readonly handlers = new Map<string, { topic: Topic<unknown>; handler: EventHandler<unknown> }>();
  private readonly processed: ProcessedEvents;
  private readonly consumerName: string;
  private readonly logger: EventingLogger;
  private readonly sleeper = new InterruptibleSleep();
  private consumer: Consumer | undefined;
  private dlqProducer: Producer | undefined;
  private stopping = false;
  private markerPruning: PeriodicJob | undefined;

  constructor(private readonly options: IdempotentConsumerOptions) {
    this.processed = new ProcessedEvents(options.connection, options.processedCollection);
    this.consumerName = options.consumerName ?? options.groupId;
    this.logger = options.logger ?? defaultLogger('idempotent-consumer');
  }

  /** Registers the handler of one topic; call before start(). */
  on<T>(topic: Topic<T>, handler: EventHandler<T>): this {
    if (this.consumer) throw new Error('register handlers before start()');
    if (this.handlers.has(topic.name)) throw new Error(`a handler for ${topic.name} is already registered`);
    this.handlers.set(topic.name, { topic: topic as Topic<unknown>, handler: handler as EventHandler<unknown> });
    return this;
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    if (this.handlers.size === 0) throw new Error('no topic handlers registered');
    await this.processed.init();
    this.stopping = false;
    const dlqProducer = this.options.kafka.producer({ allowAutoTopicCreation: true });
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: true,
      ...(this.options.maxWaitTimeInMs !== undefined ? { maxWaitTimeInMs: this.options.maxWaitTimeInMs } : {}),
    });
    this.dlqProducer = dlqProducer;
    this.consumer = consumer;
    try {
      const topics = [...this.handlers.keys()];
      await ensureTopics(this.options.kafka, [...topics, ...topics.map(dlqTopic)]);
      await dlqProducer.connect();
      await consumer.connect();
      await subscribeWithRetry(consumer, { topics, fromBeginning: this.options.fromBeginning ?? false });
      // A stop() during start-up (SIGTERM while booting) has already disconnected: do not run.
      if (this.stopping) throw new Error('consumer stopped during start-up');
      await consumer.run({ autoCommit: false, eachMessage: (payload) => this.eachMessage(payload) });
      this.startMarkerPruning();
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  /** Leaves the group (its partitions move to the other members) and disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wake();
    await this.markerPruning?.stop();
    this.markerPruning = undefined;
    // kafkajs waits for the message in flight; it sees `stopping` and returns without a commit.
    await this.consumer?.disconnect();
    await this.dlqProducer?.disconnect();
    this.consumer = undefined;
    this.dlqProducer = undefined;
  }

  /** Deletes this consumer's markers older than the retention; returns how many went. */
  async pruneProcessedMarkers(nowMs: number = (this.options.now ?? Date.now)()): Promise<number> {
    const cutoff = new Date(nowMs - (this.options.markerRetentionMs ?? DEFAULT_MARKER_RETENTION_MS));
    return this.processed.deleteBefore(this.consumerName, cutoff);
  }

  private startMarkerPruning(): void {
    const intervalMs = this.options.markerPruneIntervalMs ?? 3_600_000;
    if (intervalMs <= 0) return;
    this.markerPruning = new PeriodicJob(intervalMs, () => this.pruneProcessedMarkers(), (err) =>
      this.logger.warn({ err }, 'pruning processed-event markers failed; the next run retries'),
    );
    this.markerPruning.start();
  }

  private async eachMessage(payload: EachMessagePayload): Promise<void> {
    if (this.stopping) return;
    const entry = this.handlers.get(payload.topic);
    if (!entry) throw new Error(`no handler for topic ${payload.topic}`);
    const outcome = await processMessage(this.deps(), entry.topic, entry.handler, payload);
    if (outcome === 'interrupted' || this.stopping) return;
    const next = (BigInt(payload.message.offset) + 1n).toString();
    await this.consumer?.commitOffsets([{ topic: payload.topic, partition: payload.partition, offset: next }]);
  }

  private deps(): ProcessDeps {
    return {
      consumerName: this.consumerName,
      processed: this.processed,
      deadLetter: (payload, reason) => this.deadLetter(payload, reason),
      maxAttempts: this.options.maxAttempts ?? 5,
      backoff: this.options.backoff ?? DEFAULT_CONSUMER_BACKOFF,
      sleep: (ms) => this.sleeper.sleep(ms),
      isStopping: () => this.stopping,
      logger: this.logger,
    };
  }

  private async deadLetter({ topic, partition, message }: EachMessagePayload, reason: string): Promise<void> {
    if (!this.dlqProducer) throw new Error('consumer is stopped');
    const parked = deadLetterMessage(message, { topic, partition, reason, consumer: this.consumerName, at: new Date() });
    await this.dlqProducer.send({ topic: dlqTopic(topic), acks: -1, messages: [parked] });
  }
}
