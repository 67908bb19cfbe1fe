import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { Model } from 'mongoose';
import type { ConversationDoc } from './conversation.schema';

/** A member's conversations; every query is scoped by tenant (base class) and by the owner. */
export class ConversationRepository extends TenantScopedRepository<ConversationDoc> {
  constructor(model: Model<ConversationDoc>) {
    super(model);
  }

  async create(tenant: TenantId, doc: Omit<ConversationDoc, 'tenantId'>): Promise<void> {
    await this.insertOne(tenant, doc);
  }

  /** The conversation if `subjectId` owns it; null for unknown ids and other people's. */
  findOwned(tenant: TenantId, subjectId: string, id: string): Promise<ConversationDoc | null> {
    return this.findOne(tenant, { _id: id, subjectId });
  }

  /** Most recently active first; `titleContains` matches case-insensitively, literally. */
  listOwned(tenant: TenantId, subjectId: string, titleContains: string | undefined, limit: number): Promise<ConversationDoc[]> {
    const filter = titleContains ? { subjectId, title: { $regex: escapeRegex(titleContains), $options: 'i' } } : { subjectId };
    return this.find(tenant, filter, { sort: { updatedAt: -1, _id: -1 }, limit });
  }

  async touch(tenant: TenantId, subjectId: string, id: string, at: Date): Promise<void> {
    await this.updateOne(tenant, { _id: id, subjectId }, { $max: { updatedAt: at } });
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
