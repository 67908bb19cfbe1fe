import mongoose from 'mongoose';
import { Kafka, logLevel } from 'kafkajs';
import { revocationFeedFor } from '@enclave/session';
import { createGrpcClient, createHttpApp, createLogger, loadServiceIdentity, type Logger } from '@enclave/platform';
import { GrpcMemberRoles, GrpcSubjectKeySource, PersonalFields } from '@enclave/privacy';
import { keyVaultV1, tenantV1 } from '@enclave/proto';
import { grpcSubjectExporters } from './privacy/infrastructure/grpc-subject-exporter';
import { PrivacyClock } from './privacy/infrastructure/privacy-clock';
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
  const identity = loadServiceIdentity(SERVICE_NAME, config.servicePrivateKey);
  const exporters = grpcSubjectExporters(identity, config.dataServices, config.grpcDeadlineMs);
  const subjectKeys = createGrpcClient(keyVaultV1.SubjectKeyServiceClient, config.dataServices['key-vault'], {
    identity,
    audience: 'key-vault',
    defaultDeadlineMs: config.grpcDeadlineMs,
  });
  const memberRoles = new GrpcMemberRoles(
    createGrpcClient(tenantV1.MemberDirectoryServiceClient, config.dataServices.tenant, { identity, audience: 'tenant', defaultDeadlineMs: config.grpcDeadlineMs }),
    config.grpcDeadlineMs,
  );
  const runtime = new AuditRuntime({
    connection,
    logger,
    checkpoints: config.checkpoints,
    privacy: {
      clock: new PrivacyClock(),
      graceDays: config.privacy.graceDays,
      jobsIntervalMs: config.privacy.jobsIntervalMs,
      testClockEnabled: config.privacy.testClockEnabled,
      exporters,
      memberRoles,
      // No key caching: exports are rare, and any audit replica may serve one right after another
      // replica's consumer saw the key shredded; a cached key would still open the fields.
      personalFields: new PersonalFields(new GrpcSubjectKeySource(subjectKeys), { ttlMs: 0 }),
      close: () => {
        for (const exporter of exporters) exporter.close();
        subjectKeys.close();
        memberRoles.close();
      },
    },
    ...(kafka && { kafka: { client: kafka, groupId: config.kafka.groupId } }),
  });

  const app = await createHttpApp(
    AppModule.forRoot({
      runtime,
      session: { jwksUrl: config.authJwksUrl, revocationFeed: revocationFeedFor(kafka, SERVICE_NAME, logger.child({ component: 'revocation-feed' })) },
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
