import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { Model } from 'mongoose';
import type { MessageDoc } from './message.schema';

/** History messages, scoped by tenant (base class), owner and conversation. */
export class MessageRepository extends TenantScopedRepository<MessageDoc> {
  constructor(model: Model<MessageDoc>) {
    super(model);
  }

  async add(tenant: TenantId, doc: Omit<MessageDoc, 'tenantId'>): Promise<void> {
    await this.insertOne(tenant, doc);
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
