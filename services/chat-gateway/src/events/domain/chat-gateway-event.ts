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

/** An owner/admin (caller) read a member's conversations: the member's privacy receipt. */
export interface MemberChatRead {
  type: 'MemberChatRead';
  caller: Caller;
  memberSubjectId: string;
  /** Empty for the list of conversations. */
  conversationId: string;
  messagesReturned: number;
}

/** The gateway holds nothing more of the person (answer to audit's SubjectPurgeRequested). */
export interface SubjectDataPurged {
  type: 'SubjectDataPurged';
  tenantId: string;
  requestId: string;
  subjectId: string;
  recordsDeleted: number;
}

/** The retention job deleted conversations untouched since before cutoffMs. */
export interface RetentionPurged {
  type: 'RetentionPurged';
  tenantId: string;
  dataClass: 'conversations';
  cutoffMs: number;
  recordsDeleted: number;
}

export type ChatGatewayEvent = ConversationCreated | UsageRecorded | ChatRefused | MemberChatRead | SubjectDataPurged | RetentionPurged;
