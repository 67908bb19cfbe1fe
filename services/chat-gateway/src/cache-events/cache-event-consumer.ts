import { randomUUID } from 'node:crypto';
import { ConsumerReadiness, decodeEnvelope, ensureTopics, EnvelopeDecodeError, subscribeWithRetry, type DecodedEvent, type Topic } from '@enclave/eventing';
import type { Logger } from '@enclave/platform';
import type { Consumer, Kafka } from 'kafkajs';

export interface CacheSubscription<T> {
  topic: Topic<T>;
  apply(event: DecodedEvent<T>): void;
}

export interface CacheEventConsumerOptions {
  kafka: Kafka;
  /** Prefix of this process's own consumer group, e.g. "chat-gateway-cache". */
  groupPrefix: string;
  subscriptions: ReadonlyArray<CacheSubscription<never>>;
  logger: Logger;
  /** Longest a fetch waits for new messages; stop() may wait this long (default 1000 ms). */
  maxWaitTimeInMs?: number;
}

/**
 * Feeds tenant and key-vault events into THIS process's in-memory caches.
 *
 * Unlike the platform's IdempotentConsumer (one shared group, processed-event markers in
 * Mongo), every gateway replica must see every event, because every replica has its own cache:
 * so each process joins a consumer group of its own (prefix + random id) starting at the latest
 * offset (a fresh process has an empty cache; history would only be replayed into nothing).
 * Applying an event is idempotent (replace newer settings / drop an entry), so redelivery is
 * harmless and no markers are needed; an undecodable message is logged and skipped rather than
 * dead-lettered (a DLQ copy from every replica would help nobody; the owning service's own
 * consumers park it). Staleness from a missed event is bounded by the caches' ttl.
 */
export class CacheEventConsumer {
  private consumer: Consumer | undefined;
  private readiness: ConsumerReadiness | undefined;
  readonly groupId: string;

  constructor(private readonly options: CacheEventConsumerOptions) {
    this.groupId = `${options.groupPrefix}-${randomUUID()}`;
  }

  /** True once the group was joined and a fetch completed (offsets resolved: events are flowing). */
  get ready(): boolean {
    return this.readiness?.ready ?? false;
  }

  async start(): Promise<void> {
    const byTopic = new Map(this.options.subscriptions.map((s) => [s.topic.name, s as CacheSubscription<unknown>]));
    const consumer = this.options.kafka.consumer({
      groupId: this.groupId,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 1000,
      sessionTimeout: 30_000,
    });
    this.consumer = consumer;
    this.readiness = new ConsumerReadiness(consumer);
    await ensureTopics(this.options.kafka, [...byTopic.keys()]);
    await consumer.connect();
    await subscribeWithRetry(consumer, { topics: [...byTopic.keys()], fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const subscription = byTopic.get(topic);
        if (!subscription) return;
        try {
          subscription.apply(decodeEnvelope(subscription.topic, message.value));
        } catch (error) {
          const reason = error instanceof EnvelopeDecodeError ? error.message : 'handler failed';
          this.options.logger.warn({ topic, offset: message.offset, reason }, 'cache event skipped');
        }
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await consumer.disconnect();
    this.readiness?.reset();
  }
}
