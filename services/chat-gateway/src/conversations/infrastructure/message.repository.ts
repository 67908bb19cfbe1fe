import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { Model } from 'mongoose';
import type { MessageDoc } from './message.schema';

/** Whether the tenant logs messages right now (the settings cache: memory when warm). */
export type LoggingLookup = (tenantId: string) => Promise<boolean>;

/**
 * History messages, scoped by tenant (base class), owner and conversation. Each message is
 * stamped, as it is written, with whether the tenant logged messages then (`logged`): the
 * admin-read policy shows admins only those.
 */
export class MessageRepository extends TenantScopedRepository<MessageDoc> {
  constructor(
    model: Model<MessageDoc>,
    private readonly loggingOf: LoggingLookup = async () => false,
  ) {
    super(model);
  }

  async add(tenant: TenantId, doc: Omit<MessageDoc, 'tenantId' | 'logged'>): Promise<void> {
    // When the setting cannot be read, the message is not logged: admins never see it.
    const logged = await this.loggingOf(tenant).catch(() => false);
    await this.insertOne(tenant, { ...doc, logged });
  }

  /** The whole conversation, oldest first (at most `limit`). */
  listAll(tenant: TenantId, subjectId: string, conversationId: string, limit: number): Promise<MessageDoc[]> {
    return this.find(tenant, { subjectId, conversationId }, { sort: { createdAt: 1, _id: 1 }, limit });
  }

  /** The last `count` messages, oldest first: the context sent upstream with a new message. */
  async recent(tenant: TenantId, subjectId: string, conversationId: string, count: number): Promise<MessageDoc[]> {
    if (count <= 0) return [];
    const newestFirst = await this.find(tenant, { subjectId, conversationId }, { sort: { createdAt: -1, _id: -1 }, limit: count });
    return newestFirst.reverse();
  }

  /** Erasure: every message of the member; returns how many. */
  deleteOwned(tenant: TenantId, subjectId: string): Promise<number> {
    return this.deleteMany(tenant, { subjectId });
  }

  /** Retention: the messages of these conversations. */
  deleteOfConversations(tenant: TenantId, conversationIds: readonly string[]): Promise<number> {
    return this.deleteMany(tenant, { conversationId: { $in: [...conversationIds] } });
  }
}
