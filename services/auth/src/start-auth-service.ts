import mongoose from 'mongoose';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { keyVaultV1 } from '@enclave/proto';
import { GrpcSubjectKeySource, PersonalFields } from '@enclave/privacy';
import { createGrpcClient, createHttpApp, createLogger, loadServiceIdentity, type Logger } from '@enclave/platform';
import { AppModule } from './app.module';
import { AuthRuntime } from './composition/auth-runtime';
import { loadAuthConfig, SERVICE_NAME } from './config';
import { SmtpMailer } from './login-links/infrastructure/smtp-mailer';

/**
 * Boots auth from the environment: config (a ConfigError names every bad variable), mongoose,
 * Redis, SMTP, the key-vault client for subject keys, the runtime (store, relay, consumer, gRPC), then HTTP. SIGTERM: readyz 503, HTTP
 * closes, runtime stops (login links in flight finish), connections close, exit 0.
 */
export async function startAuthService(hooks: { onStopped?: () => Promise<void> } = {}): Promise<void> {
  const config = loadAuthConfig();
  const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const connection = await mongoose.createConnection(config.mongo.url, { dbName: config.mongo.db, serverSelectionTimeoutMS: 10_000 }).asPromise();
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  const mailer = new SmtpMailer(config.smtp);
  // Account emails and names are sealed with each person's key from key-vault (crypto-shredding).
  const subjectKeys = createGrpcClient(keyVaultV1.SubjectKeyServiceClient, config.keyVault.address, {
    identity: loadServiceIdentity(SERVICE_NAME, config.servicePrivateKey),
    audience: 'key-vault',
    defaultDeadlineMs: config.keyVault.deadlineMs,
  });
  const kafka = config.kafka.enabled
    ? new Kafka({ clientId: SERVICE_NAME, brokers: config.kafka.brokers, logLevel: logLevel.ERROR, logCreator: kafkaLogCreator(logger) })
    : undefined;

  const runtime = new AuthRuntime({
    settings: config.settings,
    connection,
    redis,
    mailer,
    logger,
    personalFields: new PersonalFields(new GrpcSubjectKeySource(subjectKeys)),
    retentionIntervalMs: config.retentionIntervalMs,
    ...(kafka && { kafka: { client: kafka, groupId: config.kafka.groupId } }),
    ...(config.grpc.enabled && config.grpc.trust && { grpc: { host: config.grpc.host, port: config.grpc.port, trust: config.grpc.trust } }),
  });

  const app = await createHttpApp(
    AppModule.forRoot({
      runtime,
      cookieSecure: config.settings.cookieSecure,
      onShutdown: async () => {
        mailer.close();
        subjectKeys.close();
        redis.disconnect();
        await connection.close();
        await hooks.onStopped?.();
      },
    }),
    { logger, trustProxy: config.http.trustProxy },
  );
  await app.listen(config.http.port, config.http.host);
  logger.info({ host: config.http.host, port: config.http.port, grpcPort: runtime.grpcPort }, 'auth HTTP listening');
}

function kafkaLogCreator(logger: Logger) {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: { level: number; log: { message: string } }) => {
      if (level <= logLevel.ERROR) kafkaLogger.error({ kafka: log.message }, 'kafka error');
      else if (level === logLevel.WARN) kafkaLogger.warn({ kafka: log.message }, 'kafka warning');
    };
}
