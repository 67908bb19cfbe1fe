import mongoose from 'mongoose';
import { Kafka, logLevel as kafkaLogLevel } from 'kafkajs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { defineTopic, IdempotentConsumer, OutboxRelay } from '@enclave/eventing';
import { createHttpApp, GrpcServerHost, HealthRegistry, uuidv7, type Logger } from '@enclave/platform';
import { keyVaultV1, privacyV1, TOPICS } from '@enclave/proto';
import { revocationFeedFor, type SessionModuleOptions } from '@enclave/session';
import { BaseUrlGuard } from './application/base-url-guard';
import { ExportSubjectData } from './application/export-subject-data';
import { GetProviderCredential } from './application/get-provider-credential';
import { GetSubjectKey } from './application/get-subject-key';
import { GetTenantSecret } from './application/get-tenant-secret';
import { ListProviderKeys } from './application/list-provider-keys';
import type { Clock, HostResolver, KekProvider } from './application/ports';
import { PurgeSubject } from './application/purge-subject';
import { RetireDueVersions } from './application/retire-due-versions';
import { RewrapDataKeys } from './application/rewrap-data-keys';
import { RotateProviderKey } from './application/rotate-provider-key';
import { SecretLifecycle } from './application/secret-lifecycle';
import { SecretVault } from './application/secret-vault';
import { StoreProviderKey } from './application/store-provider-key';
import { TenantSecrets } from './application/tenant-secrets';
import { TestProviderKey } from './application/test-provider-key';
import { CREDENTIAL_CALLERS, SERVICE_NAME, SUBJECT_DATA_CALLERS, SUBJECT_KEY_CALLERS, TENANT_SECRET_CALLERS, type KeyVaultConfig } from './config';
import { DnsHostResolver } from './infrastructure/dns/dns-host-resolver';
import { EventStorePrivacyJournal } from './infrastructure/events/event-store-privacy-journal';
import { KEY_VAULT_TOPIC } from './infrastructure/events/key-vault-topic';
import { projectionRepairHandler } from './infrastructure/events/projection-repair.handler';
import { HttpProviderProbe } from './infrastructure/http/http-provider-probe';
import { LocalKekProvider } from './infrastructure/kek/local-kek-provider';
import { EventStoreSecretsStoredBy } from './infrastructure/mongo/secrets-stored-by';
import { RetirementSweeper } from './infrastructure/retirement-sweeper';
import { keyVaultGrpcHandlers } from './interface/grpc/key-vault.grpc-handlers';
import { subjectDataGrpcHandlers } from './interface/grpc/subject-data.grpc-handlers';
import { subjectKeyGrpcHandlers } from './interface/grpc/subject-key.grpc-handlers';
import { tenantSecretGrpcHandlers } from './interface/grpc/tenant-secret.grpc-handlers';
import { subjectPurgeHandler } from './interface/kafka/subject-purge.handler';
import { KeyVaultModule, type KeyVaultUseCases } from './key-vault.module';
import { KeyVaultRuntime } from './key-vault.runtime';
import { openStorage } from './storage';

/** enclave.audit.events.v1 carrying auditV1.AuditEvent (erasure: SubjectPurgeRequested). */
const AUDIT_TOPIC = defineTopic(TOPICS.audit.name, TOPICS.audit.codec);

export interface StartOptions {
  logger: Logger;
  /** Install SIGTERM/SIGINT draining (main.ts: true; tests: false and call close()). */
  handleSignals?: boolean;
  /** Default: verify sessions against AUTH_JWKS_URL. Tests pass a verifier over their own keys. */
  session?: SessionModuleOptions;
  clock?: Clock;
  resolver?: HostResolver;
  /** Default: the local keyring from config. A cloud KMS adapter is passed here (see kek-provider.ts). */
  kek?: KekProvider;
}

export interface RunningKeyVault extends KeyVaultUseCases {
  app: NestFastifyApplication;
  /** Bound ports (useful when config asked for port 0). */
  httpPort: number;
  grpcPort: number | undefined;
  kek: KekProvider;
  getProviderCredential: GetProviderCredential;
  getTenantSecret: GetTenantSecret;
  getSubjectKey: GetSubjectKey;
  purgeSubject: PurgeSubject;
  exportSubjectData: ExportSubjectData;
  retireDueVersions: RetireDueVersions;
  sweeper: RetirementSweeper;
  close(): Promise<void>;
}

/** The composition root: wires every part from config and starts listening. */
export async function startKeyVault(config: KeyVaultConfig, options: StartOptions): Promise<RunningKeyVault> {
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  const connection = await mongoose
    .createConnection(config.mongo.url, { dbName: config.mongo.db, serverSelectionTimeoutMS: 10_000 })
    .asPromise();
  try {
    const { store, records, views, streams, subjectKeys } = await openStorage(connection, clock);
    const kek = options.kek ?? new LocalKekProvider(config.kek);
    const vault = new SecretVault(kek, records, clock);

    const kafka = config.kafka.enabled
      ? new Kafka({ clientId: config.kafka.clientId, brokers: config.kafka.brokers, logLevel: kafkaLogLevel.NOTHING })
      : undefined;
    const relay = kafka ? new OutboxRelay({ kafka, store, topic: KEY_VAULT_TOPIC.name, logger: logger.child({ component: 'outbox-relay' }) }) : undefined;
    const publisher = { nudge: () => relay?.nudge() };
    const journal = new EventStorePrivacyJournal(store);
    const purgeSubject = new PurgeSubject({ keys: subjectKeys, journal, publisher, clock });
    const consumer = kafka && (config.kafka.projectionRepair || config.kafka.subjectPurge)
      ? new IdempotentConsumer({ kafka, groupId: config.kafka.groupId, connection, fromBeginning: true, logger: logger.child({ component: 'consumer' }) })
      : undefined;
    if (consumer && config.kafka.projectionRepair) consumer.on(KEY_VAULT_TOPIC, projectionRepairHandler(streams, views));
    if (consumer && config.kafka.subjectPurge) consumer.on(AUDIT_TOPIC, subjectPurgeHandler(purgeSubject));

    const guard = new BaseUrlGuard(config.baseUrlPolicy, options.resolver ?? new DnsHostResolver());
    const lifecycle = new SecretLifecycle({ vault, streams, publisher, clock, rotationGraceMs: config.rotationGraceMs });
    const common = { fingerprintKey: config.fingerprintKey, newId: uuidv7 };
    const decrypt = { vault, streams, views, publisher, clock };
    const useCases: KeyVaultUseCases = {
      storeProviderKey: new StoreProviderKey({ lifecycle, baseUrlGuard: guard, ...common }),
      listProviderKeys: new ListProviderKeys(views),
      rotateProviderKey: new RotateProviderKey({ lifecycle, vault, views, fingerprintKey: config.fingerprintKey }),
      testProviderKey: new TestProviderKey({
        lifecycle, vault, streams, publisher, clock,
        probe: new HttpProviderProbe(guard, config.providerTestTimeoutMs),
        logger: logger.child({ component: 'provider-test' }),
      }),
      lifecycle,
      tenantSecrets: new TenantSecrets({ lifecycle, views, ...common }),
      rewrap: new RewrapDataKeys({ kek, stores: [records, subjectKeys], journal: streams, publisher, logger: logger.child({ component: 'rewrap' }) }),
    };
    const getProviderCredential = new GetProviderCredential(decrypt);
    const getTenantSecret = new GetTenantSecret(decrypt);
    const retireDueVersions = new RetireDueVersions({ views, streams, vault, publisher, clock, logger: logger.child({ component: 'retirement' }) });
    const sweeper = new RetirementSweeper(retireDueVersions, config.retirementSweepIntervalMs, logger.child({ component: 'retirement' }));
    const getSubjectKey = new GetSubjectKey({ kek, keys: subjectKeys, journal, publisher, clock, newId: uuidv7 });
    const exportSubjectData = new ExportSubjectData({ keys: subjectKeys, secrets: new EventStoreSecretsStoredBy(connection, views) });

    let grpc: { host: GrpcServerHost; bindHost: string; port: number } | undefined;
    if (config.grpc.enabled) {
      if (!config.grpc.trust) throw new Error('gRPC is enabled without SERVICE_PUBLIC_KEYS');
      const host = new GrpcServerHost({ serviceName: SERVICE_NAME, trust: config.grpc.trust, logger: logger.child({ component: 'grpc' }) });
      host.addService(keyVaultV1.KeyVaultServiceService, keyVaultGrpcHandlers(getProviderCredential, logger), { callers: CREDENTIAL_CALLERS });
      host.addService(keyVaultV1.TenantSecretServiceService, tenantSecretGrpcHandlers(getTenantSecret, logger), {
        methodCallers: { getSmtpPassword: TENANT_SECRET_CALLERS, getOidcClientSecret: TENANT_SECRET_CALLERS },
      });
      host.addService(keyVaultV1.SubjectKeyServiceService, subjectKeyGrpcHandlers(getSubjectKey, logger), { callers: SUBJECT_KEY_CALLERS });
      host.addService(privacyV1.SubjectDataServiceService, subjectDataGrpcHandlers(exportSubjectData, SERVICE_NAME), { callers: SUBJECT_DATA_CALLERS });
      grpc = { host, bindHost: config.grpc.host, port: config.grpc.port };
    }

    const runtime = new KeyVaultRuntime({ connection, logger, grpc, relay, consumer, sweeper });
    const revocationFeed = revocationFeedFor(kafka, SERVICE_NAME, logger.child({ component: 'revocation-feed' }));
    const session = options.session ?? { jwksUrl: config.authJwksUrl, revocationFeed };
    const app = await createHttpApp(
      KeyVaultModule.forRoot({ session, useCases, operatorToken: config.operatorToken, runtime }),
      { logger, handleSignals: options.handleSignals ?? true },
    );
    runtime.registerHealth(app.get(HealthRegistry));
    await app.listen(config.http.port, config.http.host);
    const address = app.getHttpServer().address();
    const httpPort = typeof address === 'object' && address ? address.port : config.http.port;
    logger.info(
      { httpPort, grpcPort: runtime.boundGrpcPort, kafka: config.kafka.enabled, kekProvider: kek.name, kekActiveVersion: kek.activeVersion },
      'key-vault started',
    );
    return {
      ...useCases,
      app,
      httpPort,
      grpcPort: runtime.boundGrpcPort,
      kek,
      getProviderCredential,
      getTenantSecret,
      getSubjectKey,
      purgeSubject,
      exportSubjectData,
      retireDueVersions,
      sweeper,
      close: () => app.close(),
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
