import { defineTopic, type DecodedEvent } from '@enclave/eventing';
import { TOPICS, type keyVaultV1 } from '@enclave/proto';
import { assertNever } from '../../shared/assert-never';
import type { CacheSubscription } from '../../cache-events/cache-event-consumer';
import type { CredentialCache } from '../application/credential-cache';

export const keyVaultTopic = defineTopic(TOPICS.keyVault.name, TOPICS.keyVault.codec);

/** A stored key becomes the tenant's default: drop the cached credential and its client. */
export function applyKeyVaultEvent(cache: CredentialCache, { envelope, payload }: DecodedEvent<keyVaultV1.KeyVaultEvent>): void {
  const event = payload.event;
  if (!event) return;
  switch (event.$case) {
    case 'providerKeyStored':
      cache.invalidate(envelope.tenantId);
      return;
    case 'providerKeyDecrypted':
      return; // our own reads, as audited by key-vault
    default:
      assertNever(event);
  }
}

export function keyVaultEventsSubscription(cache: CredentialCache): CacheSubscription<keyVaultV1.KeyVaultEvent> {
  return { topic: keyVaultTopic, apply: (decoded) => applyKeyVaultEvent(cache, decoded) };
}
