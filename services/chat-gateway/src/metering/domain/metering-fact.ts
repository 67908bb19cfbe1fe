import type { Caller } from '../../shared/roles';
import type { UsageOutcome } from './usage';

// The facts of a metered completion (topic enclave.chat-gateway.events.v1): what was used, or
// why a request was refused before the provider. Chat facts have no aggregate to protect; they
// go straight to Kafka. They name people only by pseudonymous subject id and never carry message
// text or key material.

/** Who a completion is metered to: a member in a conversation, or a virtual key (no member acted). */
export type Payer =
  | { kind: 'member'; caller: Caller; conversationId: string }
  | { kind: 'key'; tenantId: string; keyId: string };

export type RefusalReason = 'quota_exhausted' | 'key_token_limit_reached' | 'rate_limited' | 'no_provider_key';

export interface UsageRecorded {
  type: 'UsageRecorded';
  payer: Payer;
  requestId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  estimated: boolean;
  outcome: UsageOutcome;
}

export interface ChatRefused {
  type: 'ChatRefused';
  payer: Payer;
  reason: RefusalReason;
}

export type MeteringFact = UsageRecorded | ChatRefused;

export function tenantOf(payer: Payer): string {
  return payer.kind === 'member' ? payer.caller.tenantId : payer.tenantId;
}
