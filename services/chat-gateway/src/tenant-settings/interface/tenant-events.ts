import { defineTopic, type DecodedEvent } from '@enclave/eventing';
import { TOPICS, type tenantV1 } from '@enclave/proto';
import { assertNever } from '../../shared/assert-never';
import type { CacheSubscription } from '../../cache-events/cache-event-consumer';
import type { TenantSettingsCache } from '../application/tenant-settings-cache';
import { toSettingsView } from '../infrastructure/settings-mapping';

export const tenantTopic = defineTopic(TOPICS.tenant.name, TOPICS.tenant.codec);

/** SettingsChanged carries the full settings: replace the cached copy. InstanceCreated: drop it. */
export function applyTenantEvent(cache: TenantSettingsCache, { envelope, payload }: DecodedEvent<tenantV1.TenantEvent>): void {
  const event = payload.event;
  if (!event) return;
  switch (event.$case) {
    case 'settingsChanged':
      cache.applyChange(envelope.tenantId, toSettingsView(event.value.settings, envelope.streamVersion));
      return;
    case 'instanceCreated':
      cache.invalidate(envelope.tenantId);
      return;
    case 'memberAdded':
    case 'memberRemoved':
    case 'memberRoleChanged':
    case 'ownershipTransferProposed':
    case 'ownershipTransferCancelled':
    case 'ownershipTransferred':
    case 'subjectDataPurged':
    case 'retentionPurged':
      return; // sessions carry roles; membership changes need no cache work here
    default:
      assertNever(event);
  }
}

export function tenantEventsSubscription(cache: TenantSettingsCache): CacheSubscription<tenantV1.TenantEvent> {
  return { topic: tenantTopic, apply: (decoded) => applyTenantEvent(cache, decoded) };
}
