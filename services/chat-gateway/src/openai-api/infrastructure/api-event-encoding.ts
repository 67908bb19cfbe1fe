import { tenantId, type NewEvent } from '@enclave/eventing';
import { eventsV1, TOPICS } from '@enclave/proto';
import type { UsageOutcome } from '../../chat/domain/usage';
import { SERVICE_NAME } from '../../config';
import { EVENT_TYPE_PREFIX } from '../../events/infrastructure/event-encoding';
import type { ApiRefusalReason } from '../domain/api-quota-decision';

// Facts of the OpenAI-compatible API on the gateway's topic. No member acted (member subject and
// conversation are empty); the virtual key id says which key was used. The gateway records them
// on the key's behalf, hence a SERVICE actor. Never message text, never key material.

const ACTOR = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: SERVICE_NAME, role: '' };

export interface ApiUsage {
  tenantId: string;
  keyId: string;
  requestId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  estimated: boolean;
  outcome: UsageOutcome;
}

export function apiUsageEvent(usage: ApiUsage): NewEvent {
  return {
    type: `${EVENT_TYPE_PREFIX}UsageRecorded`,
    tenantId: tenantId(usage.tenantId),
    actor: ACTOR,
    payload: TOPICS.chatGateway.codec.encode({
      event: {
        $case: 'usageRecorded',
        value: {
          requestId: usage.requestId,
          conversationId: '',
          memberSubjectId: '',
          model: usage.model,
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          outcome: usage.outcome,
          estimated: usage.estimated,
          virtualKeyId: usage.keyId,
        },
      },
    }).finish(),
  };
}

export type ApiRefusal = ApiRefusalReason | 'no_provider_key';

export function apiRefusalEvent(tenant: string, keyId: string, reason: ApiRefusal): NewEvent {
  return {
    type: `${EVENT_TYPE_PREFIX}ChatRefused`,
    tenantId: tenantId(tenant),
    actor: ACTOR,
    payload: TOPICS.chatGateway.codec.encode({
      event: { $case: 'chatRefused', value: { memberSubjectId: '', reason, virtualKeyId: keyId } },
    }).finish(),
  };
}
