import type { keyVaultV1 } from '@enclave/proto';
import type { EventHandler } from '@enclave/eventing';
import type { EventStoreProviderKeyStreams } from './event-store-provider-key-streams';
import type { MongoProviderKeyViews } from './mongo/provider-key-view.repository';
import { keyIdOfStream } from './provider-key-stream-ids';

/**
 * Our own topic, consumed back: the read model is also written right after each append, so
 * this only matters when the process died in between. Loading the key's stream catches the read
 * model up from the event store (the source of truth); a decryption moves lastUsedAt forward.
 * Replays change nothing. Messages not on a provider key's streams are not ours and are skipped.
 */
export function projectionRepairHandler(
  streams: EventStoreProviderKeyStreams,
  views: MongoProviderKeyViews,
): EventHandler<keyVaultV1.KeyVaultEvent> {
  return async (consumed) => {
    const keyId = keyIdOfStream(consumed.streamId);
    if (!keyId) return;
    await streams.load(consumed.tenantId, keyId);
    if (consumed.payload.event?.$case === 'providerKeyDecrypted') {
      await views.touchLastUsed(consumed.tenantId, keyId, consumed.occurredAt);
    }
  };
}
