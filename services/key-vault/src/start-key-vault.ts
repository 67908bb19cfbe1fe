import mongoose from 'mongoose';
import { Kafka, logLevel as kafkaLogLevel } from 'kafkajs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventStore, IdempotentConsumer, OutboxRelay } from '@enclave/eventing';
import { createHttpApp, GrpcServerHost, HealthRegistry, uuidv7, type Logger } from '@enclave/platform';
import { keyVaultV1 } from '@enclave/proto';
import type { SessionModuleOptions } from '@enclave/session';
import { BaseUrlGuard } from './application/base-url-guard';
import { DataKeys } from './application/data-keys';
import { GetProviderCredential } from './application/get-provider-credential';
import { ListProviderKeys } from './application/list-provider-keys';
import type { Clock, HostResolver, KekProvider } from './application/ports';
import { SecretVault } from './application/secret-vault';
import { StoreProviderKey } from './application/store-provider-key';
import { CREDENTIAL_CALLERS, SERVICE_NAME, type KeyVaultConfig } from './config';
import { DnsHostResolver } from './infrastructure/dns/dns-host-resolver';
import { EventStoreProviderKeyStreams } from './infrastructure/event-store-provider-key-streams';
import { LocalKekProvider } from './infrastructure/kek/local-kek-provider';
import { KEY_VAULT_TOPIC } from './infrastructure/key-vault-topic';
import { MongoDataKeyRepository } from './infrastructure/mongo/data-key.repository';
import { MongoProviderKeyViews } from './infrastructure/mongo/provider-key-view.repository';
import { MongoSecretRepository } from './infrastructure/mongo/secret.repository';
import { projectionRepairHandler } from './infrastructure/projection-repair.handler';
import { keyVaultGrpcHandlers } from './interface/grpc/key-vault.grpc-handlers';
import { KeyVaultModule } from './key-vault.module';
import { KeyVaultRuntime } from './key-vault.runtime';

export interface StartOptions {
  logger: Logger;
  /** Install SIGTERM/SIGINT draining (main.ts: true; tests: false and call close()). */
  handleSignals?: boolean;
  /** Default: verify sessions against AUTH_JWKS_URL. Tests pass a verifier over their own keys. */
  session?: SessionModuleOptions;
  clock?: Clock;
  resolver?: HostResolver;
  /** Default: the local keyring from config. */
  kek?: KekProvider;
}

export interface RunningKeyVault {
  app: NestFastifyApplication;
  /** Bound ports (useful when config asked for port 0). */
  httpPort: number;
  grpcPort: number | undefined;
  getProviderCredential: GetProviderCredential;
  storeProviderKey: StoreProviderKey;
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
    const store = new EventStore(connection, { clock });
    const dataKeyRepo = new MongoDataKeyRepository(connection);
    const secretRepo = new MongoSecretRepository(connection);
    const views = new MongoProviderKeyViews(connection);
    await Promise.all([store.init(), dataKeyRepo.init(), secretRepo.init(), views.init()]);

    const kek = options.kek ?? new LocalKekProvider(config.kek);
    const vault = new SecretVault(new DataKeys(dataKeyRepo, kek, clock), secretRepo, clock);
    const streams = new EventStoreProviderKeyStreams(store, views);

    const kafka = config.kafka.enabled
      ? new Kafka({ clientId: config.kafka.clientId, brokers: config.kafka.brokers, logLevel: kafkaLogLevel.NOTHING })
      : undefined;
    const relay = kafka ? new OutboxRelay({ kafka, store, topic: KEY_VAULT_TOPIC.name, logger: logger.child({ component: 'outbox-relay' }) }) : undefined;
    const consumer = kafka && config.kafka.projectionRepair
      ? new IdempotentConsumer({ kafka, groupId: config.kafka.groupId, connection, fromBeginning: true, logger: logger.child({ component: 'projection-repair' }) })
          .on(KEY_VAULT_TOPIC, projectionRepairHandler(streams, views))
      : undefined;
    const publisher = { nudge: () => relay?.nudge() };

    const storeProviderKey = new StoreProviderKey({
      vault,
      streams,
      publisher,
      baseUrlGuard: new BaseUrlGuard(config.baseUrlPolicy, options.resolver ?? new DnsHostResolver()),
      fingerprintKey: config.fingerprintKey,
      clock,
      newId: uuidv7,
    });
    const getProviderCredential = new GetProviderCredential({ vault, streams, views, publisher, clock });

    let grpc: { host: GrpcServerHost; bindHost: string; port: number } | undefined;
    if (config.grpc.enabled) {
      if (!config.grpc.trust) throw new Error('gRPC is enabled without SERVICE_PUBLIC_KEYS');
      const host = new GrpcServerHost({ serviceName: SERVICE_NAME, trust: config.grpc.trust, logger: logger.child({ component: 'grpc' }) });
      host.addService(keyVaultV1.KeyVaultServiceService, keyVaultGrpcHandlers(getProviderCredential, logger), {
        callers: CREDENTIAL_CALLERS,
      });
      grpc = { host, bindHost: config.grpc.host, port: config.grpc.port };
    }

    const runtime = new KeyVaultRuntime({ connection, logger, grpc, relay, consumer });
    const app = await createHttpApp(
      KeyVaultModule.forRoot({
        session: options.session ?? { jwksUrl: config.authJwksUrl },
        storeProviderKey,
        listProviderKeys: new ListProviderKeys(views),
        runtime,
      }),
      { logger, handleSignals: options.handleSignals ?? true },
    );
    runtime.registerHealth(app.get(HealthRegistry));
    await app.listen(config.http.port, config.http.host);
    const address = app.getHttpServer().address();
    const httpPort = typeof address === 'object' && address ? address.port : config.http.port;
    logger.info({ httpPort, grpcPort: runtime.boundGrpcPort, kafka: config.kafka.enabled }, 'key-vault started');
    return {
      app,
      httpPort,
      grpcPort: runtime.boundGrpcPort,
      getProviderCredential,
      storeProviderKey,
      close: () => app.close(),
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
