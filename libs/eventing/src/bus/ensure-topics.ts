import type { Kafka } from 'kafkajs';

/**
 * Creates the topics that are missing (idempotent) and waits for their leaders, so a first
 * subscribe or send does not race the broker's auto-creation ("This server does not host this
 * topic-partition" on a fresh broker). Where an operator manages topics it finds them present
 * and changes nothing.
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
