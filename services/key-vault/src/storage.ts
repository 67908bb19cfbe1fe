import type { Connection } from 'mongoose';
import { EventStore } from '@enclave/eventing';
import type { Clock } from './application/ports';
import { EventStoreSecretStreams } from './infrastructure/events/event-store-secret-streams';
import { MongoSealedSecrets } from './infrastructure/mongo/sealed-secret.repository';
import { MongoSecretViews } from './infrastructure/mongo/secret-view.repository';

export interface KeyVaultStorage {
  store: EventStore;
  records: MongoSealedSecrets;
  views: MongoSecretViews;
  /** Secret streams, and the journal of re-wraps. */
  streams: EventStoreSecretStreams;
}

/** The service's database: event store (the outbox), sealed secrets and read models; shared by the service and the operator CLI. */
export async function openStorage(connection: Connection, clock: Clock): Promise<KeyVaultStorage> {
  const store = new EventStore(connection, { clock });
  const records = new MongoSealedSecrets(connection);
  const views = new MongoSecretViews(connection);
  await Promise.all([store.init(), records.init(), views.init()]);
  return { store, records, views, streams: new EventStoreSecretStreams(store, views) };
}
