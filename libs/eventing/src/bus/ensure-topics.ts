import type { Kafka } from 'kafkajs';

const ATTEMPTS = 8;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates the topics that are missing (idempotent) and waits for their leaders, so a first
 * subscribe or send does not race the broker's auto-creation ("This server does not host this
 * topic-partition" on a fresh broker). Several services boot at once and create overlapping
 * topics, so a metadata error while another creation settles is retried, and a topic that
 * appeared meanwhile counts as created. Where an operator manages topics it changes nothing.
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
        if (missing.length === 0) return;
        await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions })) });
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        await sleep(250 * attempt);
      }
    }
  } finally {
    await admin.disconnect();
  }
}
