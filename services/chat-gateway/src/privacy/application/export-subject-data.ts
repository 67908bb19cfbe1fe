import type { TenantId } from '@enclave/eventing';
import type { ReadConversations } from '../../conversations/application/read-conversations';
import type { ConversationRepository } from '../../conversations/infrastructure/conversation.repository';
import type { VirtualKeyRepository } from '../../virtual-keys/infrastructure/virtual-key.repository';
import type { PrivacyStateRepository } from '../infrastructure/privacy-state.repository';

export const EXPORT_SERVICE_NAME = 'chat-gateway';

export interface SubjectDataDocument {
  service: string;
  tenantId: string;
  subjectId: string;
  conversations: Array<{
    id: string;
    title: string;
    createdAt: string;
    updatedAt: string;
    messages: Array<{ id: string; role: 'user' | 'assistant'; content: string; createdAt: string }>;
  }>;
  privacyState: { frozen: boolean; restricted: boolean };
  /** Metadata only: never the key, its hash or its last characters. */
  virtualKeysCreated: Array<{
    keyId: string;
    label: string;
    createdAt: string;
    revokedAt: string | null;
    lastUsedAt: string | null;
    rateLimitPerMinute: number;
    monthlyTokenLimit: number | null;
    allowedModels: string[];
  }>;
}

/** Everything chat-gateway holds about one person, personal fields opened (access / portability). */
export class ExportSubjectData {
  constructor(
    private readonly deps: {
      conversations: ConversationRepository;
      reader: ReadConversations;
      privacyRows: PrivacyStateRepository;
      virtualKeys: VirtualKeyRepository;
    },
  ) {}

  async execute(tenant: TenantId, subjectId: string): Promise<SubjectDataDocument> {
    const { deps } = this;
    const [docs, state, keys] = await Promise.all([
      deps.conversations.allOwned(tenant, subjectId),
      deps.privacyRows.get(tenant, subjectId),
      deps.virtualKeys.createdBy(tenant, subjectId),
    ]);
    const conversations = [];
    for (const doc of docs) {
      const opened = await deps.reader.conversationOf(tenant, subjectId, doc._id);
      if (!opened) continue; // deleted meanwhile
      conversations.push({ id: opened.id, title: opened.title, createdAt: iso(doc.createdAt), updatedAt: iso(doc.updatedAt), messages: opened.messages });
    }
    return {
      service: EXPORT_SERVICE_NAME,
      tenantId: tenant,
      subjectId,
      conversations,
      privacyState: { frozen: state.frozen, restricted: state.restricted },
      virtualKeysCreated: keys.map((k) => ({
        keyId: k.keyId,
        label: k.label,
        createdAt: iso(k.createdAt),
        revokedAt: k.revokedAt ? iso(k.revokedAt) : null,
        lastUsedAt: k.lastUsedAt ? iso(k.lastUsedAt) : null,
        rateLimitPerMinute: k.rateLimitPerMinute,
        monthlyTokenLimit: k.monthlyTokenLimit,
        allowedModels: [...k.allowedModels],
      })),
    };
  }
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
