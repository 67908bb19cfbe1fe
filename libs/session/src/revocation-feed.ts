import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { ConsumerReadiness, decodeEnvelope, defineTopic, ensureTopics, subscribeWithRetry, type Topic } from '@enclave/eventing';
import { TOPICS, type authV1 } from '@enclave/proto';
import { revocationNoticeOf } from './revocation-notice';
import { REVOCATION_RETENTION_MS, SessionRevocations } from './session-revocations';

export interface RevocationFeedOptions {
  kafka: Kafka;
  revocations: SessionRevocations;
  /** Prefix of this process's own consumer group, e.g. "tenant-revocations". */
  groupPrefix: string;
  /** Default enclave.auth.events.v1 (tests use a copy). */
  topic?: string;
  logger: { warn(obj: object, msg: string): void };
  /** Longest an idle fetch waits (default 2 s): the broker answers at once when a revocation arrives, so this only paces idle polling and bounds stop(). */
  maxWaitTimeInMs?: number;
  now?: () => number;
}

/**
 * Feeds auth's SessionsRevoked facts into THIS process's SessionRevocations. Every replica must
 * hold every revocation, so each process reads in a consumer group of its own; it starts at the
 * first message written within the revocations' retention (a fresh replica learns of the
 * revocations whose tokens may still be unexpired), not at the topic's beginning. Applying a
 * notice twice changes nothing, so no markers are kept; an undecodable message is skipped
 * (auth's own consumers dead-letter it).
 */
export class SessionRevocationFeed {
  readonly groupId: string;
  private consumer: Consumer | undefined;
  private readiness: ConsumerReadiness | undefined;

  constructor(private readonly options: RevocationFeedOptions) {
    this.groupId = `${options.groupPrefix}-${randomUUID()}`;
  }

  /** What this feed fills (the verifier's revocation check reads it). */
  get revocations(): SessionRevocations {
    return this.options.revocations;
  }

  /** Joined and fetching: revocations reach this replica. */
  get ready(): boolean {
    return this.readiness?.ready ?? false;
  }

  async start(): Promise<void> {
    const { kafka, revocations } = this.options;
    const topic: Topic<authV1.AuthEvent> = defineTopic(this.options.topic ?? TOPICS.auth.name, TOPICS.auth.codec);
    await ensureTopics(kafka, [topic.name]);
    const since = (this.options.now ?? Date.now)() - revocations.retentionMs;
    const admin = kafka.admin();
    await admin.connect();
    const starts = await admin.fetchTopicOffsetsByTimestamp(topic.name, since).finally(() => admin.disconnect());

    const consumer = kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 2000, sessionTimeout: 30_000 });
    this.consumer = consumer;
    this.readiness = new ConsumerReadiness(consumer);
    await consumer.connect();
    await subscribeWithRetry(consumer, { topics: [topic.name], fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        try {
          const notice = revocationNoticeOf(decodeEnvelope(topic, message.value));
          if (notice) revocations.apply(notice);
        } catch {
          this.options.logger.warn({ topic: topic.name, partition, offset: message.offset }, 'auth event skipped by the revocation feed');
        }
      },
    });
    for (const { partition, offset } of starts) consumer.seek({ topic: topic.name, partition, offset });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await consumer.disconnect();
    this.readiness?.reset();
  }
}

/** The feed a service (other than auth) runs: its own in-memory revocations; none without Kafka. */
export function revocationFeedFor(kafka: Kafka | undefined, service: string, logger: RevocationFeedOptions['logger']): SessionRevocationFeed | undefined {
  if (!kafka) return undefined;
  return new SessionRevocationFeed({ kafka, revocations: new SessionRevocations(REVOCATION_RETENTION_MS), groupPrefix: `${service}-revocations`, logger });
}
