import type { Kafka, Producer, TopicMessages } from 'kafkajs';
import { eventsV1 } from '@enclave/proto';
import { toKafkaMessage } from '../bus/kafka-message';
import type { EventStore } from '../store/event-store';
import type { StoredEvent } from '../store/stored-event';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../support/backoff';
import { InterruptibleSleep } from '../support/interruptible-sleep';
import { defaultLogger, describeError, type EventingLogger } from '../support/logger';

export interface OutboxRelayOptions {
  kafka: Kafka;
  store: EventStore;
  /** The topic of every event in this store, or a function choosing it per event. */
  topic: string | ((event: StoredEvent) => string);
  /** Events per poll and per send; default 500. */
  batchSize?: number;
  /** Fallback polling interval when nobody nudges; default 200 ms. */
  pollIntervalMs?: number;
  /** Backoff between failed attempts (Kafka or database down). */
  backoff?: BackoffOptions;
  logger?: EventingLogger;
}

/**
 * Publishes the event store's unpublished events to Kafka in append order, then marks them.
 * A crash between send and mark only re-sends (consumers de-duplicate by event id); an event is
 * never marked unless its send was acknowledged by all in-sync replicas. Run one relay per
 * store: two relays are safe (duplicates, first copies still in order) but wasteful.
 */
export class OutboxRelay {
  private producer: Producer | undefined;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly backoff: BackoffOptions;
  private readonly logger: EventingLogger;
  private readonly sleeper = new InterruptibleSleep();
  private running = false;
  private nudged = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.logger = options.logger ?? defaultLogger('outbox-relay');
  }

  async start(): Promise<void> {
    if (this.running) return;
    // Kafka or the database may be down at boot: the loop connects and retries on its own.
    this.running = true;
    this.loop = this.run();
  }

  /** Call right after an append so the events go out now rather than at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.sleeper.wake();
  }

  /** Lets the batch in flight finish (sent and marked, or failed and left), then disconnects. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.sleeper.wake();
    await this.loop;
    await this.dropProducer();
  }

  /** One poll: sends up to batchSize events and marks them; returns how many were published. */
  async publishOnce(): Promise<number> {
    await this.options.store.init();
    const events = await this.options.store.unpublished(this.batchSize);
    if (events.length === 0) return 0;
    const producer = await this.connectedProducer();
    await producer.sendBatch({ acks: -1, topicMessages: this.group(events) });
    await this.options.store.markPublished(events.map((e) => e.id));
    return events.length;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.nudged = false;
      try {
        const published = await this.publishOnce();
        failures = 0;
        if (published === this.batchSize || this.nudged) continue;
        await this.sleeper.sleep(this.pollIntervalMs);
      } catch (error) {
        failures++;
        const delay = backoffDelay(failures, this.backoff);
        this.logger.warn({ ...describeError(error), failures, retryInMs: delay }, 'outbox relay batch failed; retrying');
        // A fresh producer (new producer id) after a failure: the idempotent producer's sequence
        // numbers may be out of step with the broker after a send that failed midway.
        await this.dropProducer();
        await this.sleeper.sleep(delay);
      }
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      // Bounded, so a send during an outage fails within seconds and stop() is never stuck;
      // the relay loop itself retries forever with its own backoff. (kafkajs warns that limited
      // retries weaken exactly-once; we only rely on at-least-once plus consumer de-duplication.)
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 3000 },
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private group(events: StoredEvent[]): TopicMessages[] {
    const byTopic = new Map<string, TopicMessages>();
    for (const event of events) {
      const name = typeof this.options.topic === 'string' ? this.options.topic : this.options.topic(event);
      let entry = byTopic.get(name);
      if (!entry) byTopic.set(name, (entry = { topic: name, messages: [] }));
      entry.messages.push(toKafkaMessage(envelopeOf(event)));
    }
    return [...byTopic.values()];
  }
}

/** The envelope of a stored event: all of it was fixed at append time. */
export function envelopeOf(event: StoredEvent): eventsV1.EventEnvelope {
  return {
    id: event.id,
    type: event.type,
    tenantId: event.tenantId,
    subjectId: event.subjectId,
    actor: event.actor,
    occurredAtMs: event.occurredAt.getTime(),
    schemaVersion: event.schemaVersion,
    traceparent: event.traceparent,
    tracestate: event.tracestate,
    streamId: event.streamId,
    streamVersion: event.version,
    payload: event.payload,
  };
}
