import { defineTopic, type DecodedEvent } from '@enclave/eventing';
import { TOPICS, type chatGatewayV1 } from '@enclave/proto';
import type { CacheSubscription } from '../../cache-events/cache-event-consumer';
import type { VerifiedKeyCache } from '../application/verified-key-cache';

export const chatGatewayTopic = defineTopic(TOPICS.chatGateway.name, TOPICS.chatGateway.codec);

/** VirtualKeyRevoked from any replica: this replica stops accepting the key at once. */
export function applyVirtualKeyEvent(cache: VerifiedKeyCache, { payload }: DecodedEvent<chatGatewayV1.ChatGatewayEvent>): void {
  if (payload.event?.$case === 'virtualKeyRevoked') cache.revoke(payload.event.value.keyId);
}

/** The gateway's own topic, read by every replica in its own group (see CacheEventConsumer). */
export function virtualKeyEventsSubscription(cache: VerifiedKeyCache): CacheSubscription<chatGatewayV1.ChatGatewayEvent> {
  return { topic: chatGatewayTopic, apply: (decoded) => applyVirtualKeyEvent(cache, decoded) };
}
