import mongoose from 'mongoose';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { revocationFeedFor } from '@enclave/session';
import { createHttpApp, createLogger, type Logger } from '@enclave/platform';
import { AppModule } from './app.module';
import { BillingRuntime, SERVICE_NAME } from './composition/billing-runtime';
import { loadBillingConfig } from './config';

/**
 * Boots billing from the environment: config (a ConfigError names every bad variable), mongoose,
 * Redis, the runtime (Redis re-sync, relay, consumers, retention timer, gRPC), then HTTP. SIGTERM: readyz 503, HTTP
 * closes, runtime stops, Redis and mongoose close, exit 0 (see createHttpApp).
 */
export async function startBillingService(hooks: { onStopped?: () => Promise<void> } = {}): Promise<void> {
  const config = loadBillingConfig();
  const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const connection = await mongoose.createConnection(config.mongo.url, { dbName: config.mongo.db, serverSelectionTimeoutMS: 10_000 }).asPromise();
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  const kafka = config.kafka.enabled
    ? new Kafka({ clientId: SERVICE_NAME, brokers: config.kafka.brokers, logLevel: logLevel.ERROR, logCreator: kafkaLogCreator(logger) })
    : undefined;
  const runtime = new BillingRuntime({
    connection,
    redis,
    logger,
    defaultMonthlyTokenQuota: config.defaultMonthlyTokenQuota,
    ...(kafka && { kafka: { client: kafka, groupId: config.kafka.groupId } }),
    ...(config.grpc.enabled && config.grpc.trust && { grpc: { host: config.grpc.host, port: config.grpc.port, trust: config.grpc.trust } }),
    retentionIntervalMs: config.retentionIntervalMs,
  });

  const app = await createHttpApp(
    AppModule.forRoot({
      runtime,
      session: { jwksUrl: config.authJwksUrl, revocationFeed: revocationFeedFor(kafka, SERVICE_NAME, logger.child({ component: 'revocation-feed' })) },
      operatorToken: config.operatorToken,
      onShutdown: async () => {
        redis.disconnect();
        await connection.close();
        await hooks.onStopped?.();
      },
    }),
    { logger },
  );
  await app.listen(config.http.port, config.http.host);
  logger.info({ host: config.http.host, port: config.http.port }, 'billing HTTP listening');
}

function kafkaLogCreator(logger: Logger) {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: { level: number; log: { message: string } }) => {
      if (level <= logLevel.ERROR) kafkaLogger.error({ kafka: log.message }, 'kafka error');
      else if (level === logLevel.WARN) kafkaLogger.warn({ kafka: log.message }, 'kafka warning');
    };
}
