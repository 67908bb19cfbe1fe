import { eventsV1, TOPICS } from '@enclave/proto';
import { tenantId, type NewEvent } from '@enclave/eventing';
import { EVENT_TYPE_PREFIX, type ChatGatewayEvent } from '../domain/chat-gateway-event';
import { assertNever } from '../../shared/assert-never';

// Domain events → store entries with the topic's protobuf payload (typed bus: TOPICS.chatGateway).
// The metering facts have their own encoder (metering/infrastructure/fact-encoding.ts).

type Payload = NonNullable<Parameters<typeof TOPICS.chatGateway.codec.encode>[0]['event']>;

function payloadOf(event: ChatGatewayEvent): Payload {
  switch (event.type) {
    case 'ConversationCreated':
      return {
        $case: 'conversationCreated',
        value: { conversationId: event.conversationId, memberSubjectId: event.caller.subjectId },
      };
    case 'MemberChatRead':
      return {
        $case: 'memberChatRead',
        value: {
          readerSubjectId: event.caller.subjectId,
          memberSubjectId: event.memberSubjectId,
          conversationId: event.conversationId,
          messagesReturned: event.messagesReturned,
          reason: event.reason,
          viaExport: event.viaExport,
        },
      };
    case 'SubjectDataPurged':
      return { $case: 'subjectDataPurged', value: { requestId: event.requestId, subjectId: event.subjectId, recordsDeleted: event.recordsDeleted } };
    case 'RetentionPurged':
      return { $case: 'retentionPurged', value: { dataClass: event.dataClass, cutoffMs: event.cutoffMs, recordsDeleted: event.recordsDeleted } };
    default:
      return assertNever(event);
  }
}

const SERVICE_ACTOR = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'chat-gateway', role: '' };

/** Envelope tenant, subject (the person the event is about) and actor (who caused it). */
function envelopeOf(event: ChatGatewayEvent): Pick<NewEvent, 'tenantId' | 'subjectId' | 'actor'> {
  switch (event.type) {
    case 'ConversationCreated': // a member acting in their own session
      return { tenantId: tenantId(event.caller.tenantId), subjectId: event.caller.subjectId, actor: personActor(event.caller) };
    case 'MemberChatRead': // an admin reading about the member
      return { tenantId: tenantId(event.caller.tenantId), subjectId: event.memberSubjectId, actor: personActor(event.caller) };
    case 'SubjectDataPurged':
      return { tenantId: tenantId(event.tenantId), subjectId: event.subjectId, actor: SERVICE_ACTOR };
    case 'RetentionPurged':
      return { tenantId: tenantId(event.tenantId), actor: SERVICE_ACTOR };
    default:
      return assertNever(event);
  }
}

function personActor(caller: { subjectId: string; role: string }) {
  return { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: caller.subjectId, role: caller.role };
}

export function toNewEvent(event: ChatGatewayEvent): NewEvent {
  return {
    type: `${EVENT_TYPE_PREFIX}${event.type}`,
    ...envelopeOf(event),
    payload: TOPICS.chatGateway.codec.encode({ event: payloadOf(event) }).finish(),
  };
}
