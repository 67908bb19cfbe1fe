import { defineTopic, type DecodedEvent } from '@enclave/eventing';
import { TOPICS, type keyVaultV1 } from '@enclave/proto';
import { assertNever } from '../../shared/assert-never';
import type { CacheSubscription } from '../../cache-events/cache-event-consumer';
import type { CredentialCache } from '../application/credential-cache';

/** PersonalFields: forgets a shredded person's key for good. */
export interface ShreddedKeySink {
  markShredded(tenantId: string, subjectId: string): void;
}

export const keyVaultTopic = defineTopic(TOPICS.keyVault.name, TOPICS.keyVault.codec);

/**
 * Drops the tenant's cached credential (and the SDK client holding the plaintext) whenever the
 * key it resolves to may have changed: a new key became the default (stored), the key got a new
 * version (rotated), a version stopped being usable (retired) or the key was crypto-shredded
 * (deleted). The cache is per tenant (its default key), so any such event of the tenant drops
 * it; chats already streaming keep their client until they end. Everything else leaves the
 * plaintext unchanged. SubjectKeyShredded marks the person's sealing key shredded in memory.
 */
export function applyKeyVaultEvent(
  cache: CredentialCache,
  { envelope, payload }: DecodedEvent<keyVaultV1.KeyVaultEvent>,
  subjectKeys?: ShreddedKeySink,
): void {
  const event = payload.event;
  if (!event) return;
  switch (event.$case) {
    case 'providerKeyStored':
    case 'providerKeyRotated':
    case 'providerKeyVersionRetired':
    case 'providerKeyDeleted':
      cache.invalidate(envelope.tenantId);
      return;
    case 'providerKeyDecrypted': // our own reads, as audited by key-vault
    case 'providerKeyTested':
    case 'dataKeysRewrapped': // same plaintext under a new key-encryption key
    case 'tenantSecretStored':
    case 'tenantSecretRotated':
    case 'tenantSecretVersionRetired':
    case 'tenantSecretDecrypted':
    case 'tenantSecretDeleted':
    case 'subjectKeyCreated': // sealing keys are fetched on demand (PersonalFields)
    case 'subjectDataPurged':
    case 'retentionPurged':
      return;
    case 'subjectKeyShredded': // the person's sealed fields can no longer be opened or written
      subjectKeys?.markShredded(envelope.tenantId, event.value.subjectId);
      return;
    default:
      assertNever(event);
  }
}

export function keyVaultEventsSubscription(cache: CredentialCache, subjectKeys?: ShreddedKeySink): CacheSubscription<keyVaultV1.KeyVaultEvent> {
  return { topic: keyVaultTopic, apply: (decoded) => applyKeyVaultEvent(cache, decoded, subjectKeys) };
}
