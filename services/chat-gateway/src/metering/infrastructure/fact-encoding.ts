import { tenantId, type NewEvent } from '@enclave/eventing';
import { eventsV1, TOPICS } from '@enclave/proto';
import { assertNever } from '../../shared/assert-never';
import { tenantOf, type MeteringFact, type Payer } from '../domain/metering-fact';

// The one encoder of metering facts, for both front doors, in the topic's protobuf (typed bus:
// TOPICS.chatGateway) and the envelope fields the outbox relay used to send for them, so billing
// and audit decode them unchanged. A member acts in their own session (person actor, subject =
// member); a virtual key's facts are recorded by the gateway on the key's behalf (service actor,
// no subject, member and conversation empty, the key id says which key).

import { EVENT_TYPE_PREFIX } from '../../events/domain/chat-gateway-event';
const SERVICE_ACTOR = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'chat-gateway', role: '' };

type Payload = NonNullable<Parameters<typeof TOPICS.chatGateway.codec.encode>[0]['event']>;

export interface EncodedFact {
  event: NewEvent;
  /** One stream per fact (no aggregate): `usage-<requestId>` or `refusal-<id>`, at version 1. */
  streamId: string;
}

export function encodeFact(fact: MeteringFact, newId: () => string): EncodedFact {
  const who = whoOf(fact.payer);
  const event: NewEvent = {
    type: `${EVENT_TYPE_PREFIX}${fact.type}`,
    tenantId: tenantId(tenantOf(fact.payer)),
    ...who.envelope,
    payload: TOPICS.chatGateway.codec.encode({ event: payloadOf(fact, who.fields) }).finish(),
  };
  const streamId = fact.type === 'UsageRecorded' ? `usage-${fact.requestId}` : `refusal-${newId()}`;
  return { event, streamId };
}

function payloadOf(fact: MeteringFact, who: PayerFields): Payload {
  switch (fact.type) {
    case 'UsageRecorded':
      return {
        $case: 'usageRecorded',
        value: {
          requestId: fact.requestId,
          conversationId: who.conversationId,
          memberSubjectId: who.memberSubjectId,
          model: fact.model,
          promptTokens: fact.promptTokens,
          completionTokens: fact.completionTokens,
          outcome: fact.outcome,
          estimated: fact.estimated,
          virtualKeyId: who.virtualKeyId,
        },
      };
    case 'ChatRefused':
      return { $case: 'chatRefused', value: { memberSubjectId: who.memberSubjectId, reason: fact.reason, virtualKeyId: who.virtualKeyId } };
    default:
      return assertNever(fact);
  }
}

interface PayerFields {
  memberSubjectId: string;
  conversationId: string;
  virtualKeyId: string;
}

function whoOf(payer: Payer): { envelope: Pick<NewEvent, 'subjectId' | 'actor'>; fields: PayerFields } {
  switch (payer.kind) {
    case 'member':
      return {
        envelope: { subjectId: payer.caller.subjectId, actor: { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: payer.caller.subjectId, role: payer.caller.role } },
        fields: { memberSubjectId: payer.caller.subjectId, conversationId: payer.conversationId, virtualKeyId: '' },
      };
    case 'key':
      return { envelope: { actor: SERVICE_ACTOR }, fields: { memberSubjectId: '', conversationId: '', virtualKeyId: payer.keyId } };
    default:
      return assertNever(payer);
  }
}
