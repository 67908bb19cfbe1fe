import type { Consumer, ConsumerSubscribeTopics } from 'kafkajs';

const ATTEMPTS = 10;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True for kafkajs errors the broker expects a client to retry (a topic whose leader is still being elected). */
export function isRetriableKafkaError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}

/**
 * consumer.subscribe, retried while the broker answers with a retriable error: kafkajs refreshes
 * metadata on subscribe and fails outright with "This server does not host this topic-partition"
 * while a topic another process just created has no leader yet.
 */
export async function subscribeWithRetry(consumer: Consumer, subscription: ConsumerSubscribeTopics): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await consumer.subscribe(subscription);
      return;
    } catch (error) {
      if (!isRetriableKafkaError(error) || attempt >= ATTEMPTS) throw error;
      await sleep(Math.min(2_000, 200 * attempt));
    }
  }
}
