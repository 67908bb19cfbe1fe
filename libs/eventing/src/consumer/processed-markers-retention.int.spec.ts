// Against FerretDB: does a consumer forget only its own processed-event markers, and only those older than the retention?
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { loadInfraEnv, uniqueName } from '@enclave/testing';
import { IdempotentConsumer, DEFAULT_MARKER_RETENTION_MS } from './idempotent-consumer';
import { ProcessedEvents } from './processed-events';

const DAY = 86_400_000;

describe('processed-event marker retention', () => {
  const env = loadInfraEnv();
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose.createConnection(env.mongoUrl, { dbName: uniqueName('markers') }).asPromise();
  });
  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('prunes markers older than 30 days of this consumer, keeps newer ones and other consumers\' markers', async () => {
    const now = Date.UTC(2026, 10, 22);
    const processed = new ProcessedEvents(connection);
    await processed.init();
    await processed.mark('billing', 'old-1', new Date(now - 31 * DAY));
    await processed.mark('billing', 'old-2', new Date(now - DEFAULT_MARKER_RETENTION_MS - 1));
    await processed.mark('billing', 'recent', new Date(now - 29 * DAY));
    await processed.mark('audit-projector', 'old-other', new Date(now - 40 * DAY));
    const kafka = new Kafka({ clientId: uniqueName('markers'), brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
    const consumer = new IdempotentConsumer({ kafka, groupId: 'billing', connection, now: () => now });

    expect(await consumer.pruneProcessedMarkers()).toBe(2);
    expect(await processed.has('billing', 'old-1')).toBe(false);
    expect(await processed.has('billing', 'old-2')).toBe(false);
    expect(await processed.has('billing', 'recent')).toBe(true);
    expect(await processed.has('audit-projector', 'old-other')).toBe(true);
    expect(await consumer.pruneProcessedMarkers()).toBe(0);
  });
});
