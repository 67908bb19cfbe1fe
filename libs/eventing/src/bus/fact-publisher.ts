import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import { defaultLogger, describeError, type EventingLogger } from '../support/logger';
import { BoundedBatcher, type PublisherSaturatedError } from './bounded-batcher';
import type { EventEnvelope } from './envelope';
import { toKafkaMessage } from './kafka-message';

export interface FactPublisherOptions {
  kafka: Kafka;
  /** How long the first fact of a batch waits for others; default 0 (the end of the event-loop turn). */
  lingerMs?: number;
  /** Facts per produce request; default 500. */
  maxBatch?: number;
  /** Facts waiting or in flight before publish() refuses; default 10,000. */
  maxPending?: number;
  /** Retry-After of a refusal, and how long refusal() stays busy after a failed batch; default 1 s. */
  retryAfterSec?: number;
  /** How long the broker may wait for all in-sync replicas; default 5,000 ms. */
  ackTimeoutMs?: number;
  logger?: EventingLogger;
}

interface Outgoing {
  topic: string;
  message: Message;
}

/**
 * Publishes facts that have no aggregate (chat usage, refusals) straight to Kafka, durably:
 * publish() resolves only once the broker acknowledged the fact on all in-sync replicas (acks=-1,
 * idempotent producer), so a caller can tell its client "done" knowing the fact survives a
 * kill -9 of this process. Facts are batched (a few ms of linger) and bounded: past maxPending
 * facts waiting or in flight, publish() refuses at once with PublisherSaturatedError (the caller
 * answers 503 + Retry-After); a failed batch rejects exactly its own callers. Nothing is dropped.
 */
export class FactPublisher {
  private readonly batcher: BoundedBatcher<Outgoing>;
  private readonly logger: EventingLogger;
  private readonly ackTimeoutMs: number;
  private producer: Promise<Producer> | undefined;

  constructor(private readonly options: FactPublisherOptions) {
    this.logger = options.logger ?? defaultLogger('fact-publisher');
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5000;
    this.batcher = new BoundedBatcher<Outgoing>({
      send: (batch) => this.send(batch),
      lingerMs: options.lingerMs ?? 0,
      maxBatch: options.maxBatch ?? 500,
      maxPending: options.maxPending ?? 10_000,
      retryAfterSec: options.retryAfterSec ?? 1,
    });
  }

  /** Connects the producer now (otherwise the first batch does). */
  async start(): Promise<void> {
    await this.connectedProducer();
  }

  /** Resolves when the fact is acknowledged; rejects when its batch failed or at once when saturated. */
  publish(topic: string, envelope: EventEnvelope): Promise<void> {
    return this.batcher.submit({ topic, message: toKafkaMessage(envelope) });
  }

  /** Why work whose fact will be published should not start now, or undefined. */
  refusal(): PublisherSaturatedError | undefined {
    return this.batcher.refusal();
  }

  get pending(): number {
    return this.batcher.pending;
  }

  /** Sends what waits now; resolves when nothing is waiting or in flight. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Refuses new facts, waits for every fact waiting or in flight, then disconnects. */
  async stop(): Promise<void> {
    await this.batcher.close();
    await this.dropProducer();
  }

  private async send(batch: readonly Outgoing[]): Promise<void> {
    const byTopic = new Map<string, TopicMessages>();
    for (const { topic, message } of batch) {
      let entry = byTopic.get(topic);
      if (!entry) byTopic.set(topic, (entry = { topic, messages: [] }));
      entry.messages.push(message);
    }
    try {
      const producer = await this.connectedProducer();
      await producer.sendBatch({ acks: -1, timeout: this.ackTimeoutMs, topicMessages: [...byTopic.values()] });
    } catch (error) {
      this.logger.warn({ ...describeError(error), facts: batch.length }, 'fact batch not acknowledged; its callers are told');
      // A fresh producer id next time: after a failed send the idempotent producer's sequence
      // numbers may be out of step with the broker.
      await this.dropProducer();
      throw error;
    }
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.options.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Bounded, so a fact's caller hears of an outage within seconds instead of hanging; a
        // failed batch is the caller's to report (kafkajs warns that limited retries weaken
        // exactly-once; consumers de-duplicate by event id).
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
      });
      try {
        await producer.connect();
      } catch (error) {
        await producer.disconnect().catch(() => undefined);
        throw error;
      }
      return producer;
    })();
    const pending = this.producer;
    pending.catch(() => {
      if (this.producer === pending) this.producer = undefined;
    });
    return pending;
  }

  private async dropProducer(): Promise<void> {
    const pending = this.producer;
    this.producer = undefined;
    const producer = await pending?.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }
}
