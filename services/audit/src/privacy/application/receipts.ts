// Privacy receipts: who read which of the person's conversations and when, from the
// chat-gateway MemberChatRead entries of the log whose subject is the person.
import type { TenantId } from '@enclave/eventing';
import type { PrivacyLogReader } from './ports';

export interface Receipt {
  readerSubjectId: string;
  /** The reader's role when the entry's actor is the reader; null otherwise. */
  readerRole: string | null;
  conversationId: string;
  messagesReturned: number;
  readAt: string;
  seq: number;
}

export class PrivacyReceipts {
  constructor(private readonly log: PrivacyLogReader) {}

  async list(tenant: TenantId, subjectId: string, page: { after: number; limit: number }): Promise<{ receipts: Receipt[]; nextAfter: number | null }> {
    const rows = await this.log.chatReads(tenant, subjectId, page.after, page.limit + 1);
    const receipts = rows.slice(0, page.limit).map((entry): Receipt => {
      const read = readObject(entry.payload);
      const reader = typeof read.readerSubjectId === 'string' ? read.readerSubjectId : entry.actor.id;
      return {
        readerSubjectId: reader,
        readerRole: entry.actor.id === reader && entry.actor.role ? entry.actor.role : null,
        conversationId: typeof read.conversationId === 'string' ? read.conversationId : '',
        messagesReturned: Number(read.messagesReturned ?? 0),
        readAt: entry.occurredAt.toISOString(),
        seq: entry.seq,
      };
    });
    return { receipts, nextAfter: rows.length > page.limit ? receipts.at(-1)!.seq : null };
  }
}

function readObject(payload: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(payload) as { memberChatRead?: Record<string, unknown> };
    return parsed.memberChatRead ?? {};
  } catch {
    return {};
  }
}
