// Searches every place a secret could leak to — service logs, every Kafka topic, every
// collection of the run's databases, every Redis value — for its plaintext bytes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import { loadInfraEnv } from '@enclave/testing';

export interface ScanResult {
  hits: string[];
  scanned: { logFiles: number; kafkaMessages: number; documents: number; redisKeys: number };
}

export async function scanForSecret(secret: string, opts: { logDir: string; dbPrefix: string }): Promise<ScanResult> {
  const needle = Buffer.from(secret);
  const infra = loadInfraEnv();
  const result: ScanResult = { hits: [], scanned: { logFiles: 0, kafkaMessages: 0, documents: 0, redisKeys: 0 } };

  for (const file of fs.readdirSync(opts.logDir)) {
    result.scanned.logFiles += 1;
    if (fs.readFileSync(path.join(opts.logDir, file)).includes(needle)) result.hits.push(`log ${file}`);
  }

  const kafka = new Kafka({ brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith('enclave.'));
  const expected = new Map<string, number>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) expected.set(`${topic}/${p.partition}`, Number(p.high));
  }
  await admin.disconnect();
  const seen = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `scan-${opts.dbPrefix}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    const check = () => {
      for (const [k, high] of expected) if ((seen.get(k) ?? 0) < high) return;
      resolve();
    };
    check();
    void consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        result.scanned.kafkaMessages += 1;
        const parts = [message.key, message.value, ...Object.values(message.headers ?? {}).flat()];
        if (parts.some((b) => b && Buffer.from(b as Buffer).includes(needle))) result.hits.push(`kafka ${topic}@${message.offset}`);
        seen.set(`${topic}/${partition}`, Number(message.offset) + 1);
        check();
      },
    });
  });
  await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error('Kafka scan did not reach the end of every topic')), 60_000))]);
  await consumer.disconnect();

  const conn = await mongoose.createConnection(infra.mongoUrl).asPromise();
  try {
    const { databases } = await conn.db!.admin().listDatabases();
    for (const { name } of databases.filter((d) => d.name.startsWith(opts.dbPrefix))) {
      const db = conn.useDb(name).db!;
      for (const { name: coll } of await db.listCollections().toArray()) {
        for await (const doc of db.collection(coll).find({})) {
          result.scanned.documents += 1;
          if (Buffer.from(mongoose.mongo.BSON.serialize(doc)).includes(needle)) result.hits.push(`mongo ${name}.${coll}`);
        }
      }
    }
  } finally {
    await conn.close();
  }

  const redis = new Redis(infra.redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        result.scanned.redisKeys += 1;
        if (key.includes(secret) || (await redisValue(redis, key)).includes(secret)) result.hits.push(`redis ${key}`);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return result;
}

/** The value of any key as text (DUMP would hide it behind RDB compression). */
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
