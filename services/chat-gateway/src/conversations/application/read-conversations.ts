import { NotFoundError } from '@enclave/platform';
import { tenantId, type TenantId } from '@enclave/eventing';
import type { Caller } from '../../shared/roles';
import { PrivacyRefusedError } from '../../privacy/application/privacy-errors';
import type { PrivacyRegistry } from '../../privacy/application/privacy-registry';
import { decideSelfAccess } from '../../privacy/domain/privacy-state';
import type { ConversationDoc } from '../infrastructure/conversation.schema';
import type { ConversationRepository } from '../infrastructure/conversation.repository';
import type { MessageDoc } from '../infrastructure/message.schema';
import type { MessageRepository } from '../infrastructure/message.repository';
import type { HistoryCipher } from './history-cipher';

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface HistoryMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: string;
}

export interface ConversationWithMessages {
  id: string;
  title: string;
  messages: HistoryMessage[];
}

export const LIST_LIMIT = 100;
/** Titles are sealed, so a title search opens this many most recent conversations and filters them. */
export const SEARCH_WINDOW = 1000;
export const MESSAGES_LIMIT = 2000;

/** Shown for a title or message whose person's key was shredded (their rows are purged anyway). */
export const UNREADABLE = '';

/**
 * A member's history, opened (titles and contents are sealed at rest). Owner-scoped queries:
 * another member's conversation does not exist for the caller. Used for the member's own
 * reads (refused while frozen) and, with the member's id, for admin reads (logged messages
 * only) and exports.
 */
export class ReadConversations {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly cipher: HistoryCipher,
    private readonly privacy: PrivacyRegistry,
  ) {}

  async list(caller: Caller, titleContains: string | undefined): Promise<ConversationSummary[]> {
    this.assertMayRead(caller);
    return this.listOf(tenantId(caller.tenantId), caller.subjectId, titleContains);
  }

  async get(caller: Caller, id: string): Promise<ConversationWithMessages> {
    this.assertMayRead(caller);
    const found = await this.conversationOf(tenantId(caller.tenantId), caller.subjectId, id);
    if (!found) throw new NotFoundError('conversation not found');
    return found;
  }

  /**
   * The member's conversations, most recently active first (no privacy check: callers decide).
   * With `loggedOnly` (an admin reading) a title written while the tenant did not log is empty.
   */
  async listOf(tenant: TenantId, subjectId: string, titleContains?: string, options: { loggedOnly?: boolean } = {}): Promise<ConversationSummary[]> {
    if (!titleContains) {
      const docs = await this.conversations.listOwned(tenant, subjectId, LIST_LIMIT);
      return Promise.all(docs.map((d) => this.summary(tenant, d, options.loggedOnly)));
    }
    const needle = titleContains.toLowerCase();
    const docs = await this.conversations.listOwned(tenant, subjectId, SEARCH_WINDOW);
    const opened = await Promise.all(docs.map((d) => this.summary(tenant, d)));
    return opened.filter((c) => c.title.toLowerCase().includes(needle)).slice(0, LIST_LIMIT);
  }

  /**
   * One conversation of the member with its messages; null when unknown or not theirs. With
   * `loggedOnly` (an admin reading) only the messages written while the tenant logged them.
   */
  async conversationOf(tenant: TenantId, subjectId: string, id: string, options: { loggedOnly?: boolean } = {}): Promise<ConversationWithMessages | null> {
    const [conversation, messages] = await Promise.all([
      this.conversations.findOwned(tenant, subjectId, id),
      this.messages.listAll(tenant, subjectId, id, MESSAGES_LIMIT),
    ]);
    if (!conversation) return null;
    const visible = options.loggedOnly ? messages.filter((m) => m.logged === true) : messages;
    const hideTitle = options.loggedOnly && conversation.titleLogged !== true;
    const [title, opened] = await Promise.all([
      hideTitle ? UNREADABLE : this.cipher.openTitle(tenant, subjectId, conversation.title),
      Promise.all(visible.map((m) => this.message(tenant, m))),
    ]);
    return { id: conversation._id, title: title ?? UNREADABLE, messages: opened };
  }

  private assertMayRead(caller: Caller): void {
    const refusal = decideSelfAccess(this.privacy.get(caller.tenantId, caller.subjectId), 'read_history');
    if (refusal) throw PrivacyRefusedError.of(refusal);
  }

  private async summary(tenant: TenantId, d: ConversationDoc, loggedOnly = false): Promise<ConversationSummary> {
    const title = loggedOnly && d.titleLogged !== true ? UNREADABLE : await this.cipher.openTitle(tenant, d.subjectId, d.title);
    return { id: d._id, title: title ?? UNREADABLE, createdAt: iso(d.createdAt), updatedAt: iso(d.updatedAt) };
  }

  private async message(tenant: TenantId, m: MessageDoc): Promise<HistoryMessage> {
    const content = await this.cipher.openContent(tenant, m.subjectId, m.content);
    return { id: m._id, role: m.role, content: content ?? UNREADABLE, createdAt: iso(m.createdAt) };
  }
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
