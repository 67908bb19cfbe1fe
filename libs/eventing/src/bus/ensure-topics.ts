import type { Kafka } from 'kafkajs';

const ATTEMPTS = 12;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates the topics that are missing (idempotent) and waits until every partition of every
 * wanted topic has a leader, so a first subscribe or send does not race the broker ("This server
 * does not host this topic-partition" on a fresh broker). Several services boot at once and create
 * overlapping topics: a topic another service just created is listed before its leaders are
 * elected, so readiness is judged from partition metadata, not from the topic list, and metadata
 * errors while another creation settles are retried. Where an operator manages topics it changes
 * nothing.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], numPartitions = 3): Promise<void> {
  const wanted = [...new Set(topics)];
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = wanted.filter((t) => !existing.has(t));
        if (missing.length > 0) {
          await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions })) });
        }
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics: wanted });
        const leaderless = metadata.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0 || p.partitionErrorCode !== 0));
        if (leaderless.length === 0) return;
        throw new Error(`topics without partition leaders yet: ${leaderless.map((t) => t.name).join(', ')}`);
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        await sleep(Math.min(2_000, 150 * attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
}
