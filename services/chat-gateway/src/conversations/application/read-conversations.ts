import { NotFoundError } from '@enclave/platform';
import { tenantId } from '@enclave/eventing';
import type { Caller } from '../../shared/roles';
import type { ConversationRepository } from '../infrastructure/conversation.repository';
import type { MessageRepository } from '../infrastructure/message.repository';

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationWithMessages {
  id: string;
  title: string;
  messages: Array<{ id: string; role: 'user' | 'assistant'; content: string; createdAt: string }>;
}

export const LIST_LIMIT = 100;
export const MESSAGES_LIMIT = 2000;

/** The caller's own history only: another member's conversation does not exist for them. */
export class ReadConversations {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
  ) {}

  async list(caller: Caller, titleContains: string | undefined): Promise<ConversationSummary[]> {
    const docs = await this.conversations.listOwned(tenantId(caller.tenantId), caller.subjectId, titleContains, LIST_LIMIT);
    return docs.map((d) => ({ id: d._id, title: d.title, createdAt: iso(d.createdAt), updatedAt: iso(d.updatedAt) }));
  }

  async get(caller: Caller, id: string): Promise<ConversationWithMessages> {
    const tenant = tenantId(caller.tenantId);
    const [conversation, messages] = await Promise.all([
      this.conversations.findOwned(tenant, caller.subjectId, id),
      this.messages.listAll(tenant, caller.subjectId, id, MESSAGES_LIMIT),
    ]);
    if (!conversation) throw new NotFoundError('conversation not found');
    return {
      id: conversation._id,
      title: conversation.title,
      messages: messages.map((m) => ({ id: m._id, role: m.role, content: m.content, createdAt: iso(m.createdAt) })),
    };
  }
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
