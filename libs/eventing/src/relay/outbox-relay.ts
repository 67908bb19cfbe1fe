import type { Kafka, Producer, TopicMessages } from 'kafkajs';
import { eventsV1 } from '@enclave/proto';
import { toKafkaMessage } from '../bus/kafka-message';
import type { EventStore } from '../store/event-store';
import type { StoredEvent } from '../store/stored-event';
import { planRelay, type RelayPlan } from './relay-plan';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../support/backoff';
import { InterruptibleSleep } from '../support/interruptible-sleep';
import { defaultLogger, describeError, type EventingLogger } from '../support/logger';

export interface OutboxRelayOptions {
  kafka: Kafka;
  store: EventStore;
  /** The topic of every event in this store, or a function choosing it per event. */
  topic: string | ((event: StoredEvent) => string);
  /** Events per Kafka send; default 500. One poll sends up to POLL_BATCHES such sends. */
  batchSize?: number;
  /** Fallback polling interval when nobody nudges (an append in this process nudges at once); default 1 s. */
  pollIntervalMs?: number;
  /**
   * Polls that find nothing double the interval up to this (default 5 s): an idle service does
   * not query its outbox every second. Found events, a nudge or a claim being waited on go back
   * to pollIntervalMs at once.
   */
  maxIdlePollIntervalMs?: number;
  /** Tests: the relay's waits between polls. */
  sleeper?: InterruptibleSleep;
  /** Backoff between failed attempts (Kafka or database down). */
  backoff?: BackoffOptions;
  logger?: EventingLogger;
  /** Monotonic milliseconds; tests inject their own. */
  now?: () => number;
}

/**
 * Publishes the event store's appended events to Kafka in append (seq) order. It never reads the
 * events collection: each poll reads the store's small outbox (the position document and the
 * open claims, which carry their events; see event-store.ts), sends the claims decided ok from
 * the position on, then, once Kafka acknowledged (acks = all), writes the new position in one
 * document and clears those claims. A crash between send and clear only re-sends (consumers
 * de-duplicate by event id). Gaps and undecided claims: see relay-plan.ts; the relay waits for
 * them up to the store's claimTimeoutMs, then decides by looking in the store, or skips the gap.
 * With no traffic a poll reads one document. Run one relay per store: two are safe (duplicates)
 * but wasteful.
 */
/** Sends per poll: a FerretDB read of the outbox costs the same for 500 or 5,000 claims. */
const POLL_BATCHES = 10;

export class OutboxRelay {
  private producer: Producer | undefined;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxIdlePollIntervalMs: number;
  private readonly backoff: BackoffOptions;
  private readonly logger: EventingLogger;
  private readonly sleeper: InterruptibleSleep;
  private readonly now: () => number;
  private running = false;
  private nudged = false;
  /** The last position this relay wrote or read (the document's may lag while another relay runs). */
  private position = 0;
  /** What the last pass stopped at, and since when (relay's clock). */
  private waiting: { key: string; since: number } | undefined;
  /** Set when a pass resolved something, so the loop goes on at once. */
  private unblocked = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.maxIdlePollIntervalMs = Math.max(this.pollIntervalMs, options.maxIdlePollIntervalMs ?? 5000);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.sleeper = options.sleeper ?? new InterruptibleSleep();
    this.logger = options.logger ?? defaultLogger('outbox-relay');
    this.now = options.now ?? (() => performance.now());
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

  /** Lets the batch in flight finish (sent and recorded, or failed and left), then disconnects. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.sleeper.wake();
    await this.loop;
    await this.dropProducer();
  }

  /** One poll: sends what is decided in seq order (in sends of batchSize) and records it; returns how many were sent. */
  async publishOnce(): Promise<number> {
    const store = this.options.store;
    const perPoll = this.batchSize * POLL_BATCHES;
    const view = await store.outboxView(2 * perPoll + 1);
    this.position = Math.max(this.position, view.position);
    const plan = planRelay(view.claims, this.position, perPoll);
    const events = plan.send.flatMap((claim) => claim.events);
    for (let from = 0; from < events.length; from += this.batchSize) {
      const producer = await this.connectedProducer();
      await producer.sendBatch({ acks: -1, topicMessages: this.group(events.slice(from, from + this.batchSize)) });
    }
    const cleared = [...plan.cleared, ...view.orphans];
    if (cleared.length > 0 || plan.position > view.position) {
      await store.advanceOutbox(plan.position, cleared);
      this.position = plan.position;
    }
    await this.waitOrResolve(plan.blocked);
    return events.length;
  }

  /** True when every appended event was published: the outbox holds no open claim. */
  async caughtUp(): Promise<boolean> {
    return (await this.options.store.outboxView(3)).claims.length === 0;
  }

  /** Keeps waiting on what blocked the pass until claimTimeoutMs, then decides it or skips it. */
  private async waitOrResolve(blocked: RelayPlan['blocked']): Promise<void> {
    if (!blocked) {
      this.waiting = undefined;
      return;
    }
    const key = blocked.kind === 'gap' ? `gap:${blocked.seq}` : `claim:${blocked.claim.seq}`;
    const now = this.now();
    if (this.waiting?.key !== key) {
      this.waiting = { key, since: now };
      return;
    }
    if (now - this.waiting.since < this.options.store.claimTimeoutMs) return;
    this.waiting = undefined;
    this.unblocked = true;
    if (blocked.kind === 'undecided') {
      const ok = await this.options.store.resolveClaim(blocked.claim);
      this.logger.warn({ seq: blocked.claim.seq, inStore: ok }, 'an outbox claim stayed undecided; decided by looking in the store');
      return;
    }
    this.logger.warn({ from: blocked.seq, to: blocked.next - 1 }, 'an outbox gap stayed open; skipped');
    await this.options.store.advanceOutbox(blocked.next - 1, []);
    this.position = blocked.next - 1;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let idleInterval = this.pollIntervalMs;
    while (this.running) {
      this.nudged = false;
      this.unblocked = false;
      try {
        const published = await this.publishOnce();
        failures = 0;
        if (published > 0 || this.nudged || this.unblocked) {
          idleInterval = this.pollIntervalMs;
          continue;
        }
        // Waiting out a claim or a gap keeps the base pace: its timeout is counted in polls' time.
        if (this.waiting) idleInterval = this.pollIntervalMs;
        await this.sleeper.sleep(idleInterval);
        if (!this.waiting) idleInterval = Math.min(idleInterval * 2, this.maxIdlePollIntervalMs);
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
