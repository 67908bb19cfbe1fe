import type { AdminReadReason } from '@enclave/privacy';
import type { Caller } from '../../shared/roles';

// The facts chat-gateway records through its event store (the outbox) on topic
// enclave.chat-gateway.events.v1; the metering facts (UsageRecorded, ChatRefused) go to the same
// topic straight from metering/. They name people only by pseudonymous subject id and never carry
// message text, titles or keys: history lives in chat-gateway's own collections, which erasure
// can delete.

/** Envelope type of every chat-gateway event: `chat-gateway.<EventName>`. */
export const EVENT_TYPE_PREFIX = 'chat-gateway.';

export interface ConversationCreated {
  type: 'ConversationCreated';
  caller: Caller;
  conversationId: string;
}

/** An owner/admin (caller) read a member's conversations: the member's privacy receipt. */
export interface MemberChatRead {
  type: 'MemberChatRead';
  caller: Caller;
  memberSubjectId: string;
  /** Empty for the list of conversations, and for an export. */
  conversationId: string;
  messagesReturned: number;
  /** Why the admin read (one of @enclave/privacy ADMIN_READ_REASONS). */
  reason: AdminReadReason;
  /** True when the read was an export pulled on the member's behalf. */
  viaExport: boolean;
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

export type ChatGatewayEvent = ConversationCreated | MemberChatRead | SubjectDataPurged | RetentionPurged;
