import type { keyVaultV1 } from '@enclave/proto';
import type { EventHandler } from '@enclave/eventing';
import type { MongoSecretViews } from '../mongo/secret-view.repository';
import type { EventStoreSecretStreams } from './event-store-secret-streams';
import { isPrivacyEvent } from '../../domain/subject-key/subject-key.events';
import { fromProto } from './key-vault-event-codec';
import { secretOfStream } from './stream-ids';

/**
 * Our own topic, consumed back: the read model is also written right after each append, so
 * this only matters when the process died in between. Loading the secret's stream catches the
 * read model up from the event store (the source of truth); a decryption moves lastUsedAt
 * forward. Replays change nothing. Re-wrap batches, subjects' events and foreign streams are skipped.
 */
export function projectionRepairHandler(
  streams: EventStoreSecretStreams,
  views: MongoSecretViews,
): EventHandler<keyVaultV1.KeyVaultEvent> {
  return async (consumed) => {
    const stream = secretOfStream(consumed.streamId);
    if (!stream) return;
    const event = fromProto(consumed.payload, { tenantId: consumed.tenantId, occurredAt: consumed.occurredAt });
    if (event.type === 'DataKeysRewrapped' || isPrivacyEvent(event)) return;
    await streams.load({ tenantId: consumed.tenantId, kind: event.kind, secretId: stream.secretId });
    if (event.type === 'SecretDecrypted') await views.touchLastUsed(consumed.tenantId, stream.secretId, consumed.occurredAt);
  };
}
