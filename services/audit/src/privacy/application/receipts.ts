// Privacy receipts: who read the person's content, when, why and how much: chat-gateway's
// MemberChatRead entries (an owner or admin reading their conversations) and the exports someone
// else pulled on their behalf (audit's SubjectDataExported whose actor is not the person). The
// MemberChatRead an export causes is not listed twice: the export's own entry says it all.
import type { TenantId } from '@enclave/eventing';
import type { AuditEntry } from '../../log/domain/audit-entry';
import type { PrivacyLogReader } from './ports';

export interface Receipt {
  /** 'conversations': an admin read route; 'export': an export pulled on the person's behalf. */
  kind: 'conversations' | 'export';
  readerSubjectId: string;
  /** The reader's role when the entry's actor is the reader; null otherwise. */
  readerRole: string | null;
  conversationId: string;
  messagesReturned: number;
  /** Why (one of ADMIN_READ_REASONS); null for reads logged before reasons were recorded. */
  reason: string | null;
  readAt: string;
  seq: number;
}

export class PrivacyReceipts {
  constructor(private readonly log: PrivacyLogReader) {}

  async list(tenant: TenantId, subjectId: string, page: { after: number; limit: number }): Promise<{ receipts: Receipt[]; nextAfter: number | null }> {
    const rows = await this.log.readsAbout(tenant, subjectId, page.after, page.limit + 1);
    const scanned = rows.slice(0, page.limit);
    const receipts = scanned.flatMap((entry) => receiptOf(entry, subjectId));
    return { receipts, nextAfter: rows.length > page.limit ? scanned.at(-1)!.seq : null };
  }
}

function receiptOf(entry: AuditEntry, subjectId: string): Receipt[] {
  const readAt = entry.occurredAt.toISOString();
  const reasonOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  if (entry.type === 'audit.SubjectDataExported') {
    if (entry.actor.id === subjectId || entry.service !== 'audit') return [];
    const exported = payloadCase(entry.payload, 'subjectDataExported');
    return [{
      kind: 'export',
      readerSubjectId: entry.actor.id,
      readerRole: entry.actor.role || null,
      conversationId: '',
      messagesReturned: Number(exported.messagesReturned ?? 0),
      reason: reasonOf(exported.reason),
      readAt,
      seq: entry.seq,
    }];
  }
  if (entry.service !== 'chat-gateway') return [];
  const read = payloadCase(entry.payload, 'memberChatRead');
  if (read.viaExport === true) return [];
  const reader = typeof read.readerSubjectId === 'string' ? read.readerSubjectId : entry.actor.id;
  return [{
    kind: 'conversations',
    readerSubjectId: reader,
    readerRole: entry.actor.id === reader && entry.actor.role ? entry.actor.role : null,
    conversationId: typeof read.conversationId === 'string' ? read.conversationId : '',
    messagesReturned: Number(read.messagesReturned ?? 0),
    reason: reasonOf(read.reason),
    readAt,
    seq: entry.seq,
  }];
}

function payloadCase(payload: string, oneofCase: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(payload) as Record<string, Record<string, unknown> | undefined>;
    return parsed[oneofCase] ?? {};
  } catch {
    return {};
  }
}
