import type { TenantId } from '@enclave/eventing';
import type { AdminReadReason } from '@enclave/privacy';
import type { ConversationWithMessages, ReadConversations } from '../../conversations/application/read-conversations';
import type { ChatGatewayEvent } from '../../events/domain/chat-gateway-event';
import type { Role } from '../../shared/roles';
import type { TenantSettingsCache } from '../../tenant-settings/application/tenant-settings-cache';
import { decideAdminRead, type AdminReadDecision } from '../domain/admin-read-policy';
import type { PrivacyRegistry } from './privacy-registry';
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
  /**
   * Present when an owner or admin pulled the export on the person's behalf: whether the
   * admin-read policy let message text through, and how many messages it did.
   */
  adminRead?: { allowed: boolean; refusal: string | null; messagesReturned: number };
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

/** Someone other than the person pulling their export (audit says who, as what, and why). */
export interface AdminReader {
  subjectId: string;
  role: Role;
  reason: AdminReadReason;
}

export interface ExportSubjectDataDeps {
  conversations: ConversationRepository;
  reader: ReadConversations;
  privacyRows: PrivacyStateRepository;
  virtualKeys: VirtualKeyRepository;
  settings: TenantSettingsCache;
  privacy: PrivacyRegistry;
  /** Durable (outbox) before it resolves: the MemberChatRead of an admin's export. */
  record: (event: ChatGatewayEvent) => Promise<void>;
}

/**
 * Everything chat-gateway holds about one person, personal fields opened (access / portability).
 * The person's own export holds their whole history. An export an owner or admin pulls on their
 * behalf applies the same admin-read policy as the admin read routes: message text and titles
 * only while the tenant logs messages and the person is neither restricted nor frozen, and then
 * only messages written while the tenant logged them; such a read is recorded as MemberChatRead
 * (via export, with the reason) before the document is returned: it lands on the receipt.
 */
export class ExportSubjectData {
  constructor(private readonly deps: ExportSubjectDataDeps) {}

  async execute(tenant: TenantId, subjectId: string, adminReader?: AdminReader): Promise<SubjectDataDocument> {
    const { deps } = this;
    const [docs, state, keys] = await Promise.all([
      deps.conversations.allOwned(tenant, subjectId),
      deps.privacyRows.get(tenant, subjectId),
      deps.virtualKeys.createdBy(tenant, subjectId),
    ]);
    const decision = adminReader ? await this.decide(tenant, subjectId, adminReader) : undefined;
    const withText = decision === undefined || decision.allowed;
    const conversations = [];
    for (const doc of docs) {
      const opened: ConversationWithMessages | null = withText
        ? await deps.reader.conversationOf(tenant, subjectId, doc._id, { loggedOnly: adminReader !== undefined })
        : { id: doc._id, title: '', messages: [] };
      if (!opened) continue; // deleted meanwhile
      conversations.push({ id: opened.id, title: opened.title, createdAt: iso(doc.createdAt), updatedAt: iso(doc.updatedAt), messages: opened.messages });
    }
    const messagesReturned = conversations.reduce((sum, c) => sum + c.messages.length, 0);
    if (adminReader && decision?.allowed) {
      await deps.record({
        type: 'MemberChatRead',
        caller: { tenantId: tenant, subjectId: adminReader.subjectId, role: adminReader.role },
        memberSubjectId: subjectId,
        conversationId: '',
        messagesReturned,
        reason: adminReader.reason,
        viaExport: true,
      });
    }
    return {
      service: EXPORT_SERVICE_NAME,
      tenantId: tenant,
      subjectId,
      conversations,
      privacyState: { frozen: state.frozen, restricted: state.restricted },
      ...(decision && { adminRead: { allowed: decision.allowed, refusal: decision.allowed ? null : decision.error, messagesReturned } }),
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

  private async decide(tenant: TenantId, subjectId: string, reader: AdminReader): Promise<AdminReadDecision> {
    const settings = await this.deps.settings.get(tenant);
    return decideAdminRead({
      readerRole: reader.role,
      readerTenantId: tenant,
      requestedTenantId: tenant,
      messageLogging: settings.messageLogging,
      member: this.deps.privacy.get(tenant, subjectId),
    });
  }
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
