import { eventsV1, TOPICS } from '@enclave/proto';
import { tenantId, type NewEvent } from '@enclave/eventing';
import type { ChatGatewayEvent } from '../../events/domain/chat-gateway-event';
import { assertNever } from '../../shared/assert-never';

// Domain events → store entries with the topic's protobuf payload (typed bus: TOPICS.chatGateway).

export const EVENT_TYPE_PREFIX = 'chat-gateway.';

type Payload = NonNullable<Parameters<typeof TOPICS.chatGateway.codec.encode>[0]['event']>;

function payloadOf(event: ChatGatewayEvent): Payload {
  switch (event.type) {
    case 'ConversationCreated':
      return {
        $case: 'conversationCreated',
        value: { conversationId: event.conversationId, memberSubjectId: event.caller.subjectId },
      };
    case 'UsageRecorded':
      return {
        $case: 'usageRecorded',
        value: {
          requestId: event.requestId,
          conversationId: event.conversationId,
          memberSubjectId: event.caller.subjectId,
          model: event.model,
          promptTokens: event.promptTokens,
          completionTokens: event.completionTokens,
          outcome: event.outcome,
          estimated: event.estimated,
        },
      };
    case 'ChatRefused':
      return { $case: 'chatRefused', value: { memberSubjectId: event.caller.subjectId, reason: event.reason } };
    default:
      return assertNever(event);
  }
}

/** Every chat-gateway event is caused by a member acting in their own session. */
export function toNewEvent(event: ChatGatewayEvent): NewEvent {
  return {
    type: `${EVENT_TYPE_PREFIX}${event.type}`,
    tenantId: tenantId(event.caller.tenantId),
    subjectId: event.caller.subjectId,
    actor: { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: event.caller.subjectId, role: event.caller.role },
    payload: TOPICS.chatGateway.codec.encode({ event: payloadOf(event) }).finish(),
  };
}
