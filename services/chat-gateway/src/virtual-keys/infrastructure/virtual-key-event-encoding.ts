import { tenantId, type NewEvent } from '@enclave/eventing';
import { eventsV1, TOPICS } from '@enclave/proto';
import { EVENT_TYPE_PREFIX } from '../../events/domain/chat-gateway-event';
import { assertNever } from '../../shared/assert-never';
import type { VirtualKeyEvent } from '../domain/virtual-key';

// Virtual-key events → store entries on the gateway's own topic. No key material: not the key,
// its hash, its last characters, nor the free-text label; only the id and the limits.

/**
 * Each fact of a key has a stream of its own, written once at expected version 0: no head read
 * before the append (FerretDB would scan the events collection for it), and the unique
 * (streamId, version) index makes each fact happen at most once: a second revocation of the
 * same key fails with ConcurrencyError, which the caller treats as "already recorded".
 */
export function streamIdFor(event: VirtualKeyEvent): string {
  return event.type === 'VirtualKeyCreated' ? `virtual-key-${event.keyId}` : `virtual-key-${event.keyId}-revoked`;
}

export function toNewVirtualKeyEvent(event: VirtualKeyEvent): NewEvent {
  const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: event.actor.subjectId, role: event.actor.role };
  const base = { type: `${EVENT_TYPE_PREFIX}${event.type}`, tenantId: tenantId(event.tenantId), subjectId: event.actor.subjectId, actor };
  switch (event.type) {
    case 'VirtualKeyCreated':
      return {
        ...base,
        payload: TOPICS.chatGateway.codec.encode({
          event: {
            $case: 'virtualKeyCreated',
            value: {
              keyId: event.keyId,
              createdBySubjectId: event.actor.subjectId,
              rateLimitPerMinute: event.limits.rateLimitPerMinute,
              monthlyTokenLimit: event.limits.monthlyTokenLimit ?? 0,
              allowedModels: [...event.limits.allowedModels],
            },
          },
        }).finish(),
      };
    case 'VirtualKeyRevoked':
      return {
        ...base,
        payload: TOPICS.chatGateway.codec.encode({
          event: { $case: 'virtualKeyRevoked', value: { keyId: event.keyId, revokedBySubjectId: event.actor.subjectId } },
        }).finish(),
      };
    default:
      return assertNever(event);
  }
}
