// Consumes one topic a partition batch at a time (kafkajs eachBatch) for handlers that make a
// whole batch idempotent themselves (e.g. an insert-only ledger keyed by event id), so there are
// no per-message processed markers. Offsets are committed by hand after the batch was handled or
// parked: a crash, a stop or a lost partition before that redelivers the batch.
//
// A message that cannot be decoded is parked on the dead-letter topic at once. When the handler
// keeps failing on the whole batch (or throws a PoisonError), the batch is retried event by event
// so that only an event that fails on its own is parked.
import type { Context } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { decodeEnvelope, EnvelopeDecodeError } from '../bus/envelope';
import { ensureTopics } from '../bus/ensure-topics';
import { subscribeWithRetry } from '../bus/subscribe-with-retry';
import { dlqTopic, type Topic } from '../bus/topic';
import { backoffDelay, type BackoffOptions } from '../support/backoff';
import { InterruptibleSleep } from '../support/interruptible-sleep';
import { defaultLogger, describeError, type EventingLogger } from '../support/logger';
import { inEventSpans, parentContextOf } from './batch-spans';
import { consumedEventOf, type ConsumedEvent } from './consumed-event';
import { deadLetterMessage } from './dead-letter';
import { PoisonError } from './poison-error';

export interface BatchConsumerOptions<T> {
  kafka: Kafka;
  groupId: string;
  topic: Topic<T>;
  /** Handles the events of one partition batch in offset order; must tolerate redelivery. */
  handle(events: ConsumedEvent<T>[]): Promise<void>;
  /** Where a new group starts: earliest (true) or latest (default false). */
  fromBeginning?: boolean;
  /** Tries of a batch (then of each of its events) before parking; default 5. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Partitions handled at once; default 3. */
  partitionsConsumedConcurrently?: number;
  /**
   * Most bytes fetched per partition (kafkajs default 1 MiB): a backlog comes in batches this big,
   * so a handler whose cost is per batch (per document touched) drains faster with more.
   */
  maxBytesPerPartition?: number;
  logger?: EventingLogger;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 10_000, factor: 2, jitter: 0.2 };
/** While a handler works on a big batch, the group still hears from this member (session timeout 30 s). */
const HEARTBEAT_EVERY_MS = 3_000;

type Outcome = 'done' | 'failed' | 'interrupted';

export class BatchConsumer<T> {
  private consumer: Consumer | undefined;
  private dlq: Producer | undefined;
  private stopping = false;
  private readonly sleeper = new InterruptibleSleep();
  private readonly logger: EventingLogger;

  constructor(private readonly options: BatchConsumerOptions<T>) {
    this.logger = options.logger ?? defaultLogger('batch-consumer');
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    const { kafka, groupId, topic } = this.options;
    this.stopping = false;
    this.dlq = kafka.producer({ allowAutoTopicCreation: true });
    const { maxBytesPerPartition } = this.options;
    this.consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: true,
      ...(maxBytesPerPartition !== undefined && { maxBytesPerPartition, maxBytes: Math.max(10 * 1024 * 1024, 3 * maxBytesPerPartition) }),
    });
    try {
      await ensureTopics(kafka, [topic.name, dlqTopic(topic.name)]);
      await this.dlq.connect();
      await this.consumer.connect();
      await subscribeWithRetry(this.consumer, { topics: [topic.name], fromBeginning: this.options.fromBeginning ?? false });
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
    this.sleeper.wake();
    await this.consumer?.disconnect();
    await this.dlq?.disconnect();
    this.consumer = undefined;
    this.dlq = undefined;
  }

  private async eachBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0 || this.stopping) return;
    const interrupted = () => this.stopping || !isRunning() || isStale();
    const events: Array<{ message: KafkaMessage; event: ConsumedEvent<T>; parent: Context }> = [];
    for (const message of batch.messages) {
      try {
        events.push({ message, ...toConsumedEvent(this.options.topic, batch.topic, batch.partition, message) });
      } catch (error) {
        if (!(error instanceof EnvelopeDecodeError)) throw error;
        await this.deadLetter(batch.topic, batch.partition, message, error.message);
      }
    }
    const traced = (list: typeof events) => list.map((e) => ({ id: e.event.id, type: e.event.type, parent: e.parent }));
    const attempt = (list: typeof events) => this.withRetries(interrupted, heartbeat, batch.partition, () =>
      inEventSpans(batch.topic, this.options.groupId, traced(list), () => this.options.handle(list.map((e) => e.event))));
    let outcome: Outcome = events.length === 0 ? 'done' : await attempt(events);
    if (outcome === 'failed') {
      for (const one of events) {
        outcome = await attempt([one]);
        if (outcome === 'interrupted') return;
        if (outcome === 'failed') await this.deadLetter(batch.topic, batch.partition, one.message, 'the handler refused the event after retries');
      }
    }
    if (outcome === 'interrupted' || interrupted()) return;
    // Resolving moves this consumer's fetch position past the batch; committing moves the group's.
    resolveOffset(batch.lastOffset());
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    await this.consumer?.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
  }

  private async withRetries(interrupted: () => boolean, heartbeat: () => Promise<void>, partition: number, work: () => Promise<void>): Promise<Outcome> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      if (interrupted()) return 'interrupted';
      // A rebalance meanwhile makes heartbeat() fail: ignored here, the batch is then stale and not committed.
      const beating = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_EVERY_MS);
      try {
        await work();
        return 'done';
      } catch (error) {
        if (error instanceof PoisonError || attempt >= maxAttempts) {
          this.logger.warn({ ...describeError(error), topic: this.options.topic.name, partition, attempt }, 'batch handler gave up');
          return 'failed';
        }
        this.logger.warn({ ...describeError(error), topic: this.options.topic.name, partition, attempt }, 'batch handler failed; retrying');
        await heartbeat().catch(() => undefined);
        await this.sleeper.sleep(backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF));
      } finally {
        clearInterval(beating);
      }
    }
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    if (!this.dlq) throw new Error('consumer is stopped');
    this.logger.error({ topic, partition, offset: message.offset }, 'parking an event on the dead-letter topic');
    const parked = deadLetterMessage(message, { topic, partition, reason, consumer: this.options.groupId, at: new Date() });
    await this.dlq.send({ topic: dlqTopic(topic), acks: -1, messages: [parked] });
  }
}

function toConsumedEvent<T>(topic: Topic<T>, topicName: string, partition: number, message: KafkaMessage): { event: ConsumedEvent<T>; parent: Context } {
  const decoded = decodeEnvelope(topic, message.value);
  return { event: consumedEventOf(decoded, { topic: topicName, partition, offset: message.offset }), parent: parentContextOf(decoded.envelope) };
}
