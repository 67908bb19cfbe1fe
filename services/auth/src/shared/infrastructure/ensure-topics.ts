import type { Kafka } from 'kafkajs';

/**
 * Auth may boot before tenant has published anything, and kafkajs refuses to subscribe to a
 * topic that does not exist yet; creating it (a no-op when it exists) makes start order free.
 */
export async function ensureTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
