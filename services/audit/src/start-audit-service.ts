import mongoose from 'mongoose';
import { Kafka, logLevel } from 'kafkajs';
import { createHttpApp, createLogger, type Logger } from '@enclave/platform';
import { AppModule } from './app.module';
import { AuditRuntime, SERVICE_NAME } from './composition/audit-runtime';
import { loadAuditConfig } from './config';

/**
 * Boots audit from the environment: config (a ConfigError names every bad variable), mongoose,
 * the runtime (relay, consumer of every topic), then HTTP. SIGTERM: readyz 503, HTTP closes,
 * runtime stops, mongoose closes, exit 0 (see createHttpApp).
 */
export async function startAuditService(hooks: { onStopped?: () => Promise<void> } = {}): Promise<void> {
  const config = loadAuditConfig();
  const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const connection = await mongoose.createConnection(config.mongo.url, { dbName: config.mongo.db, serverSelectionTimeoutMS: 10_000 }).asPromise();
  const kafka = config.kafka.enabled
    ? new Kafka({ clientId: SERVICE_NAME, brokers: config.kafka.brokers, logLevel: logLevel.ERROR, logCreator: kafkaLogCreator(logger) })
    : undefined;
  const runtime = new AuditRuntime({
    connection,
    logger,
    checkpoints: config.checkpoints,
    ...(kafka && { kafka: { client: kafka, groupId: config.kafka.groupId } }),
  });

  const app = await createHttpApp(
    AppModule.forRoot({
      runtime,
      session: { jwksUrl: config.authJwksUrl },
      onShutdown: async () => {
        await connection.close();
        await hooks.onStopped?.();
      },
    }),
    { logger },
  );
  await app.listen(config.http.port, config.http.host);
  logger.info({ host: config.http.host, port: config.http.port }, 'audit HTTP listening');
}

function kafkaLogCreator(logger: Logger) {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: { level: number; log: { message: string } }) => {
      if (level <= logLevel.ERROR) kafkaLogger.error({ kafka: log.message }, 'kafka error');
      else if (level === logLevel.WARN) kafkaLogger.warn({ kafka: log.message }, 'kafka warning');
    };
}
