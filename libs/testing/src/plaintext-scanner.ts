import type { Connection } from 'mongoose';
import mongoose from 'mongoose';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { loadInfraEnv } from './infra-env';
import { uniqueName } from './unique-name';

// Searches every place a secret could leak to after a test run — captured log lines, whole Kafka
// topics, every document of the given databases (raw BSON), every Redis value — for the secrets'
// bytes, also base64- and hex-encoded.

export interface PlaintextScan {
  hits: string[];
  scanned: { logLines: number; kafkaMessages: number; documents: number; redisKeys: number };
}

function forms(secret: string): Buffer[] {
  const raw = Buffer.from(secret, 'utf8');
  return [raw, Buffer.from(raw.toString('base64')), Buffer.from(raw.toString('hex'))];
}

export async function scanForPlaintext(
  secrets: string[],
  where: { logs: string[]; databases: Connection[]; topics: string[]; redis?: boolean },
): Promise<PlaintextScan> {
  const needles = secrets.flatMap((s) => forms(s).map((f) => ({ secret: s.slice(-4), bytes: f })));
  const contains = (bytes: Buffer) => needles.find((n) => bytes.includes(n.bytes));
  const result: PlaintextScan = { hits: [], scanned: { logLines: 0, kafkaMessages: 0, documents: 0, redisKeys: 0 } };

  for (const line of where.logs) {
    result.scanned.logLines += 1;
    const hit = contains(Buffer.from(line));
    if (hit) result.hits.push(`log line (…${hit.secret})`);
  }

  const infra = loadInfraEnv();
  const kafka = new Kafka({ clientId: uniqueName('scan'), brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const high = new Map<string, number>();
  const existing = new Set(await admin.listTopics());
  const topics = where.topics.filter((t) => existing.has(t));
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) high.set(`${topic}/${p.partition}`, Number(p.high));
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: uniqueName('scan') });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const seen = new Map<string, number>();
  const done = new Promise<void>((resolve) => {
    const check = () => {
      for (const [k, end] of high) if ((seen.get(k) ?? 0) < end) return;
      resolve();
    };
    check();
    void consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        result.scanned.kafkaMessages += 1;
        for (const part of [message.key, message.value, ...Object.values(message.headers ?? {}).flat()]) {
          const hit = part ? contains(Buffer.from(part as Buffer)) : undefined;
          if (hit) result.hits.push(`kafka ${topic}@${message.offset} (…${hit.secret})`);
        }
        seen.set(`${topic}/${partition}`, Number(message.offset) + 1);
        check();
      },
    });
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([done, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the Kafka scan did not reach the end of every topic')), 60_000)))]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }

  for (const connection of where.databases) {
    for (const { name } of await connection.db!.listCollections().toArray()) {
      for await (const doc of connection.db!.collection(name).find({})) {
        result.scanned.documents += 1;
        const hit = contains(Buffer.from(mongoose.mongo.BSON.serialize(doc)));
        if (hit) result.hits.push(`mongo ${connection.name}.${name} (…${hit.secret})`);
      }
    }
  }

  if (where.redis) {
    const redis = new Redis(infra.redisUrl);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
        cursor = next;
        for (const key of keys) {
          result.scanned.redisKeys += 1;
          const hit = contains(Buffer.from(key)) ?? contains(Buffer.from(await redisValue(redis, key)));
          if (hit) result.hits.push(`redis ${key} (…${hit.secret})`);
        }
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
  return result;
}

async function redisValue(redis: Redis, key: string): Promise<string> {
  switch (await redis.type(key)) {
    case 'string':
      return (await redis.get(key)) ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set':
      return JSON.stringify(await redis.smembers(key));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    default:
      return '';
  }
}
