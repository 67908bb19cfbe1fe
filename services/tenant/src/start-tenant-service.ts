import mongoose from 'mongoose';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { revocationFeedFor } from '@enclave/session';
import { authV1 } from '@enclave/proto';
import { createGrpcClient, createHttpApp, createLogger, loadServiceIdentity, RedisFixedWindowLimiter } from '@enclave/platform';
import { AppModule } from './app.module';
import { SignUpGate } from './application';
import { SERVICE_NAME, TenantRuntime } from './composition/tenant-runtime';
import { loadTenantConfig } from './config';
import { AuthAccountRegistry } from './infrastructure/auth-account-registry';

/**
 * Boots the service from the environment: config (a ConfigError names every bad variable),
 * mongoose, Redis (sign-up limits, shared by every replica), the runtime (store, projections,
 * relay, consumer, gRPC), then HTTP. SIGTERM: readyz
 * 503, HTTP closes, runtime stops, mongoose closes, exit 0 (see createHttpApp).
 */
export async function startTenantService(hooks: { onStopped?: () => Promise<void> } = {}): Promise<void> {
  const config = loadTenantConfig();
  const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const connection = await mongoose.createConnection(config.mongo.url, { dbName: config.mongo.db, serverSelectionTimeoutMS: 10_000 }).asPromise();

  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  const signUpGate = new SignUpGate(config.signUp, new RedisFixedWindowLimiter(redis));
  const identity = loadServiceIdentity(SERVICE_NAME, config.servicePrivateKey);
  const authClient = createGrpcClient(authV1.AuthServiceClient, config.authGrpc.address, {
    identity,
    audience: 'auth',
    defaultDeadlineMs: config.authGrpc.deadlineMs,
  });
  const kafka = config.kafka.enabled
    ? new Kafka({ clientId: SERVICE_NAME, brokers: config.kafka.brokers, logLevel: logLevel.ERROR, logCreator: kafkaLogCreator(logger) })
    : undefined;
  const runtime = new TenantRuntime({
    connection,
    logger,
    accounts: new AuthAccountRegistry(authClient, config.authGrpc.deadlineMs, logger.child({ component: 'auth-client' })),
    defaultModel: config.defaultModel,
    ...(kafka && { kafka: { client: kafka, consumerGroup: config.kafka.groupId } }),
    ...(config.grpc.enabled && config.grpc.trust && { grpc: { host: config.grpc.host, port: config.grpc.port, trust: config.grpc.trust } }),
  });

  const app = await createHttpApp(
    AppModule.forRoot({
      runtime,
      signUpGate,
      session: { jwksUrl: config.authJwksUrl, revocationFeed: revocationFeedFor(kafka, SERVICE_NAME, logger.child({ component: 'revocation-feed' })) },
      onShutdown: async () => {
        authClient.close();
        redis.disconnect();
        await connection.close();
        await hooks.onStopped?.();
      },
    }),
    { logger, trustProxy: config.http.trustProxy },
  );
  await app.listen(config.http.port, config.http.host);
  logger.info({ host: config.http.host, port: config.http.port }, 'tenant HTTP listening');
}

function kafkaLogCreator(logger: ReturnType<typeof createLogger>) {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: { level: number; log: { message: string } }) => {
      if (level <= logLevel.ERROR) kafkaLogger.error({ kafka: log.message }, 'kafka error');
      else if (level === logLevel.WARN) kafkaLogger.warn({ kafka: log.message }, 'kafka warning');
    };
}
