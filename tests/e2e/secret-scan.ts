// The end-to-end plaintext check (a provider key, a person's data after erasure): every log file of the run, every service topic, every
// database of the run's prefix and all of Redis, searched by @enclave/testing's scanner.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { loadInfraEnv, scanForPlaintext, type PlaintextScan } from '@enclave/testing';

export async function scanForSecret(secret: string, opts: { logDir: string; dbPrefix: string }): Promise<PlaintextScan> {
  return scanForSecrets([secret], opts);
}

export async function scanForSecrets(secrets: string[], opts: { logDir: string; dbPrefix: string }): Promise<PlaintextScan> {
  const infra = loadInfraEnv();
  const logs = fs.readdirSync(opts.logDir).flatMap((file) => fs.readFileSync(path.join(opts.logDir, file), 'utf8').split('\n'));
  const admin = new Kafka({ brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith('enclave.'));
  await admin.disconnect();
  const conn = await mongoose.createConnection(infra.mongoUrl).asPromise();
  try {
    const { databases } = await conn.db!.admin().listDatabases();
    const runDatabases = databases.filter((d) => d.name.startsWith(opts.dbPrefix)).map((d) => conn.useDb(d.name));
    return await scanForPlaintext(secrets, { logs, databases: runDatabases, topics, redis: true });
  } finally {
    await conn.close();
  }
}
