import type { Kafka, KafkaMessage } from 'kafkajs';
import { uniqueName } from './unique-name';

/** Partition → offset (as kafkajs spells offsets: decimal strings). */
export type TopicOffsets = Record<number, string>;

export type RangeMessage = KafkaMessage & { partition: number };

/**
 * The end (high watermark) of every partition of a topic now: what the broker has acknowledged.
 * A message acknowledged before this call lies below these offsets.
 */
export async function topicEnds(kafka: Kafka, topic: string): Promise<TopicOffsets> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return Object.fromEntries(offsets.map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every message of a topic between two snapshots of its ends ([from, to) per partition): a
 * bounded read, done when each partition reached its `to`, whatever else arrives meanwhile.
 */
export async function readTopicRange(kafka: Kafka, topic: string, from: TopicOffsets, to: TopicOffsets, timeoutMs = 30_000): Promise<RangeMessage[]> {
  const wanted = Object.keys(to).map(Number).filter((p) => BigInt(to[p]!) > BigInt(from[p] ?? '0'));
  if (wanted.length === 0) return [];
  const messages: RangeMessage[] = [];
  const reached = new Set<number>();
  const consumer = kafka.consumer({ groupId: uniqueName('topic-range'), maxWaitTimeInMs: 100 });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const offset = BigInt(message.offset);
        if (offset < BigInt(from[partition] ?? '0') || offset >= BigInt(to[partition] ?? '0')) return;
        messages.push({ ...message, partition });
        if (offset === BigInt(to[partition]!) - 1n) reached.add(partition);
        if (wanted.every((p) => reached.has(p))) done();
      },
    });
    for (const partition of wanted) consumer.seek({ topic, partition, offset: from[partition] ?? '0' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out reading ${topic} between its ends`)), timeoutMs);
    });
    await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
    return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await consumer.disconnect();
  }
}
