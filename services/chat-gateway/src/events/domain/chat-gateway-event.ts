import type { UsageOutcome } from '../../chat/domain/usage';
import type { Caller } from '../../shared/roles';

// The facts chat-gateway records (topic enclave.chat-gateway.events.v1). They name people only
// by pseudonymous subject id and never carry message text, titles or keys: history lives in
// chat-gateway's own collections, which erasure can delete.

export interface ConversationCreated {
  type: 'ConversationCreated';
  caller: Caller;
  conversationId: string;
}

export interface UsageRecorded {
  type: 'UsageRecorded';
  caller: Caller;
  requestId: string;
  conversationId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  estimated: boolean;
  outcome: UsageOutcome;
}

export type RefusalReason = 'quota_exhausted' | 'rate_limited' | 'no_provider_key';

export interface ChatRefused {
  type: 'ChatRefused';
  caller: Caller;
  reason: RefusalReason;
}

export type ChatGatewayEvent = ConversationCreated | UsageRecorded | ChatRefused;
