import mongoose from 'mongoose';
import { Kafka, logLevel } from 'kafkajs';
import { revocationFeedFor } from '@enclave/session';
import { Redis } from 'ioredis';
import { keyVaultV1, tenantV1 } from '@enclave/proto';
import { createGrpcClient, createHttpApp, createLogger, loadServiceIdentity, type Logger } from '@enclave/platform';
import { AppModule } from './app.module';
import { ChatGatewayRuntime } from './composition/chat-gateway-runtime';
import { loadChatGatewayConfig, SERVICE_NAME } from './config';
import { GrpcCredentialSource } from './credentials/infrastructure/grpc-credential-source';
import { GrpcMemberRoles, GrpcSubjectKeySource } from '@enclave/privacy';
import { GrpcTenantSettingsSource } from './tenant-settings/infrastructure/grpc-tenant-settings-source';

/**
 * Boots chat-gateway from the environment: config (a ConfigError names every bad variable),
 * mongoose, Redis, gRPC clients to tenant and key-vault (credentials and subject keys;
 * chat-gateway's service identity on every call), Kafka, the runtime (with the
 * SubjectDataService gRPC server when GRPC_ENABLED), then HTTP. SIGTERM: readyz 503, HTTP closes after open
 * streams end (each one's usage acknowledged by Kafka before its end), the usage publisher and the
 * outbox relay drain, connections close, exit 0.
 */
export async function startChatGateway(hooks: { onStopped?: () => Promise<void> } = {}): Promise<void> {
  const config = loadChatGatewayConfig();
  const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const connection = await mongoose.createConnection(config.mongo.url, { dbName: config.mongo.db, serverSelectionTimeoutMS: 10_000 }).asPromise();
  // Bounded: a Redis outage refuses chats within ~a second (503) instead of queueing them.
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, commandTimeout: config.redis.commandTimeoutMs, lazyConnect: false });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));

  const identity = loadServiceIdentity(SERVICE_NAME, config.servicePrivateKey);
  const grpcOptions = { identity, defaultDeadlineMs: config.grpc.deadlineMs };
  const tenantClient = createGrpcClient(tenantV1.TenantServiceClient, config.grpc.tenantAddress, { ...grpcOptions, audience: 'tenant' });
  const keyVaultClient = createGrpcClient(keyVaultV1.KeyVaultServiceClient, config.grpc.keyVaultAddress, { ...grpcOptions, audience: 'key-vault' });
  const subjectKeyClient = createGrpcClient(keyVaultV1.SubjectKeyServiceClient, config.grpc.keyVaultAddress, { ...grpcOptions, audience: 'key-vault' });
  const memberRoles = new GrpcMemberRoles(
    createGrpcClient(tenantV1.MemberDirectoryServiceClient, config.grpc.tenantAddress, { ...grpcOptions, audience: 'tenant' }),
    config.grpc.deadlineMs,
  );
  const kafka = config.kafka.enabled
    ? new Kafka({ clientId: SERVICE_NAME, brokers: config.kafka.brokers, logLevel: logLevel.ERROR, logCreator: kafkaLogCreator(logger) })
    : undefined;

  const runtime = new ChatGatewayRuntime({
    connection,
    redis,
    logger,
    settingsSource: new GrpcTenantSettingsSource(tenantClient),
    credentialSource: new GrpcCredentialSource(keyVaultClient, logger.child({ component: 'key-vault-client' })),
    subjectKeySource: new GrpcSubjectKeySource(subjectKeyClient),
    memberRoles,
    subjectKeyTtlMs: config.privacy.subjectKeyTtlMs,
    privacy: {
      ...(config.grpcServer.enabled && config.grpcServer.trust && {
        grpc: { host: config.grpcServer.host, port: config.grpcServer.port, trust: config.grpcServer.trust },
      }),
      consumerGroup: config.kafka.groupId,
      retentionIntervalMs: config.privacy.retentionIntervalMs,
      privacyRefreshMs: config.privacy.privacyRefreshMs,
    },
    ...(kafka && { kafka }),
    chat: config.chat,
    egress: config.egress,
    caches: config.caches,
    contextCache: config.contextCache,
    usagePublish: config.usagePublish,
    defaultMaxCompletionTokens: config.defaultMaxCompletionTokens,
    virtualKeys: config.virtualKeys,
  });

  const app = await createHttpApp(
    AppModule.forRoot({
      runtime,
      logger,
      session: { jwksUrl: config.authJwksUrl, revocationFeed: revocationFeedFor(kafka, SERVICE_NAME, logger.child({ component: 'revocation-feed' })) },
      onShutdown: async () => {
        tenantClient.close();
        keyVaultClient.close();
        subjectKeyClient.close();
        memberRoles.close();
        await redis.quit().catch(() => redis.disconnect());
        await connection.close();
        await hooks.onStopped?.();
      },
    }),
    { logger, drainDelayMs: config.shutdownDrainMs },
  );
  await app.listen(config.http.port, config.http.host);
  logger.info({ host: config.http.host, port: config.http.port }, 'chat-gateway HTTP listening');
}

function kafkaLogCreator(logger: Logger) {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: { level: number; log: { message: string } }) => {
      if (level <= logLevel.ERROR) kafkaLogger.error({ kafka: log.message }, 'kafka error');
      else if (level === logLevel.WARN) kafkaLogger.warn({ kafka: log.message }, 'kafka warning');
    };
}
