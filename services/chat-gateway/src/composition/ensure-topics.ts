import type { Kafka } from 'kafkajs';

/**
 * Creates missing topics (idempotent), waiting for leaders, so the relay's first send and the
 * cache consumer's subscribe do not race auto-creation. Where an operator manages topics this
 * finds them present and changes nothing; a concurrent creation by another service is fine.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    try {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions })) });
    } catch (error) {
      const nowExisting = new Set(await admin.listTopics());
      if (!missing.every((t) => nowExisting.has(t))) throw error;
    }
  } finally {
    await admin.disconnect();
  }
}
