// A new stack's consumers read their topics from the beginning, and on a shared local broker those
// topics hold every earlier run's events (tens of thousands): catching up can take longer than a
// test. A suite whose tenants are created after its stack starts loses nothing of its own by
// starting its consumer groups at the topics' current ends instead; this commits those offsets
// for the stack's groups before any consumer joins.
import { Kafka, logLevel } from 'kafkajs';
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
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const partitions = ends.map((p) => ({ partition: p.partition, offset: p.high }));
      for (const groupId of groups) await admin.setOffsets({ groupId, topic, partitions });
    }
  } finally {
    await admin.disconnect();
  }
}
