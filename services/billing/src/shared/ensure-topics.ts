import type { Kafka } from 'kafkajs';

/**
 * Creates the topics when missing (idempotent) and waits for their leaders, so the relay's first
 * send and the consumer's subscribe do not race auto-creation. Where an operator manages topics
 * this finds them present and changes nothing.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions })) });
  } finally {
    await admin.disconnect();
  }
}
