import type { Connection } from 'mongoose';
import { EventStore } from '@enclave/eventing';
import type { Clock } from './application/ports';
import { EventStoreSecretStreams } from './infrastructure/events/event-store-secret-streams';
import { MongoSealedSecrets } from './infrastructure/mongo/sealed-secret.repository';
import { MongoSecretViews } from './infrastructure/mongo/secret-view.repository';
import { MongoSubjectKeys } from './infrastructure/mongo/subject-key.repository';

export interface KeyVaultStorage {
  store: EventStore;
  records: MongoSealedSecrets;
  views: MongoSecretViews;
  /** Secret streams, and the journal of re-wraps. */
  streams: EventStoreSecretStreams;
  /** Per-person data keys (wrapped) and their tombstones. */
  subjectKeys: MongoSubjectKeys;
}

/** The service's database: event store (the outbox), sealed secrets, subject keys and read models; shared by the service and the operator CLI. */
export async function openStorage(connection: Connection, clock: Clock): Promise<KeyVaultStorage> {
  const store = new EventStore(connection, { clock });
  const records = new MongoSealedSecrets(connection);
  const views = new MongoSecretViews(connection);
  const subjectKeys = new MongoSubjectKeys(connection);
  await Promise.all([store.init(), records.init(), views.init(), subjectKeys.init()]);
  return { store, records, views, streams: new EventStoreSecretStreams(store, views), subjectKeys };
}
