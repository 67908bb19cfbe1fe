// A new stack's consumers read their topics from the beginning, and on a shared local broker those
// topics hold every earlier run's events (tens of thousands): catching up can take longer than a
// test. A suite whose tenants are created after its stack starts loses nothing of its own by
// starting its consumer groups at the topics' current ends instead; this commits those offsets
// for the stack's groups before any of its consumers joins.
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { loadInfraEnv } from '@enclave/testing';

/** The platform's topics (enclave.<service>.<name>.v<n>), not dead-letter or per-test copies. */
const PLATFORM_TOPIC = /^enclave\.[a-z-]+\.[a-z-]+\.v\d+$/;

/** The consumer groups local-stack.js gives a stack's services for `groupSuffix`. */
export function stackGroups(groupSuffix: string): string[] {
  const services = ['tenant', 'auth', 'key-vault', 'chat-gateway', 'billing', 'audit'];
  return [...services.map((s) => `${s}-${groupSuffix}`), `billing-${groupSuffix}-usage`];
}

export async function startGroupsAtTopicEnds(groups: readonly string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'e2e-skip-history', brokers: loadInfraEnv().kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => PLATFORM_TOPIC.test(t));
    const ends = await Promise.all(topics.map(async (topic) => ({ topic, partitions: await topicEnds(admin, topic) })));
    await Promise.all(groups.map((groupId) => seekGroup(kafka, groupId, ends)));
  } finally {
    await admin.disconnect();
  }
}

async function topicEnds(admin: Admin, topic: string) {
  return (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high }));
}

/**
 * What kafkajs' admin.setOffsets does for one topic, for all topics at once: join the group with a
 * paused consumer, seek every partition to its end, and leave at the first fetch (the seeks are
 * committed). One short join per group instead of one per group and topic.
 */
async function seekGroup(kafka: Kafka, groupId: string, ends: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>): Promise<void> {
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: ends.map((e) => e.topic), fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.FETCH, () => void consumer.stop().then(resolve, reject));
    consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
    consumer.pause(ends.map((e) => ({ topic: e.topic })));
    for (const { topic, partitions } of ends) for (const p of partitions) consumer.seek({ topic, ...p });
  });
  await consumer.disconnect();
}
