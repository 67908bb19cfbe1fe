import { NotFoundError } from '@enclave/platform';
import type { AdminReadReason, MemberRoles } from '@enclave/privacy';
import { tenantId as toTenantId } from '@enclave/eventing';
import type { ChatGatewayEvent } from '../../events/domain/chat-gateway-event';
import type { ConversationSummary, ConversationWithMessages, ReadConversations } from '../../conversations/application/read-conversations';
import type { Caller } from '../../shared/roles';
import type { TenantSettingsCache } from '../../tenant-settings/application/tenant-settings-cache';
import { decideAdminRead } from '../domain/admin-read-policy';
import { decideReadRank } from '../domain/admin-read-rank';
import { PrivacyRefusedError } from './privacy-errors';
import type { PrivacyRegistry } from './privacy-registry';

export interface ReadMemberChatsDeps {
  conversations: ReadConversations;
  settings: TenantSettingsCache;
  privacy: PrivacyRegistry;
  /** Tenant's member directory: the roles reader and member hold now, to rank one against the other. */
  memberRoles: MemberRoles;
  /** Durable (outbox) before it resolves: MemberChatRead goes to the audit log through our topic. */
  record: (event: ChatGatewayEvent) => Promise<void>;
}

/**
 * An owner/admin reading a member's conversations, for a stated reason (only while the tenant
 * logs messages, never a restricted or frozen member, and only the messages written while the
 * tenant logged them), and never of someone of equal or higher current rank (only the owner reads an
 * admin's chats; nobody the owner's). Every successful read is recorded as MemberChatRead with its reason
 * (actor: the reader, subject: the member): the member's privacy receipt in the audit log.
 */
export class ReadMemberChats {
  constructor(private readonly deps: ReadMemberChatsDeps) {}

  async list(reader: Caller, requestedTenantId: string, memberSubjectId: string, reason: AdminReadReason): Promise<ConversationSummary[]> {
    await this.authorize(reader, requestedTenantId, memberSubjectId);
    const conversations = await this.deps.conversations.listOf(toTenantId(reader.tenantId), memberSubjectId, undefined, { loggedOnly: true });
    await this.deps.record({ type: 'MemberChatRead', caller: reader, memberSubjectId, conversationId: '', messagesReturned: 0, reason, viaExport: false });
    return conversations;
  }

  async get(reader: Caller, requestedTenantId: string, memberSubjectId: string, conversationId: string, reason: AdminReadReason): Promise<ConversationWithMessages> {
    await this.authorize(reader, requestedTenantId, memberSubjectId);
    const found = await this.deps.conversations.conversationOf(toTenantId(reader.tenantId), memberSubjectId, conversationId, { loggedOnly: true });
    if (!found) throw new NotFoundError('conversation not found');
    await this.deps.record({ type: 'MemberChatRead', caller: reader, memberSubjectId, conversationId, messagesReturned: found.messages.length, reason, viaExport: false });
    return found;
  }

  private async authorize(reader: Caller, requestedTenantId: string, memberSubjectId: string): Promise<void> {
    // Only the reader's own tenant's settings are ever loaded (another tenant is 404 anyway).
    const settings = await this.deps.settings.get(reader.tenantId);
    const decision = decideAdminRead({
      readerRole: reader.role,
      readerTenantId: reader.tenantId,
      requestedTenantId,
      messageLogging: settings.messageLogging,
      member: this.deps.privacy.get(reader.tenantId, memberSubjectId),
    });
    if (!decision.allowed) {
      if (decision.status === 404) throw new NotFoundError('not found');
      throw new PrivacyRefusedError(decision.error, decision.message);
    }
    const roles = await this.deps.memberRoles.rolesOf(reader.tenantId, [reader.subjectId, memberSubjectId]);
    const ranked = decideReadRank({
      readerSubjectId: reader.subjectId,
      readerRole: roles.get(reader.subjectId),
      memberSubjectId,
      memberRole: roles.get(memberSubjectId),
    });
    if (!ranked.allowed) throw new PrivacyRefusedError(ranked.error, ranked.message);
  }
}
