import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { Model } from 'mongoose';
import type { ConversationDoc } from './conversation.schema';
import type { LoggingLookup } from './message.repository';

/**
 * A member's conversations; every query is scoped by tenant (base class) and by the owner. The
 * title is stamped, as it is written, with whether the tenant logged messages then
 * (`titleLogged`): only such titles are ever shown to an admin.
 */
export class ConversationRepository extends TenantScopedRepository<ConversationDoc> {
  constructor(
    model: Model<ConversationDoc>,
    private readonly loggingOf: LoggingLookup = async () => false,
  ) {
    super(model);
  }

  async create(tenant: TenantId, doc: Omit<ConversationDoc, 'tenantId' | 'titleLogged'>): Promise<void> {
    const titleLogged = await this.loggingOf(tenant).catch(() => false);
    await this.insertOne(tenant, { ...doc, titleLogged });
  }

  /** The conversation if `subjectId` owns it; null for unknown ids and other people's. */
  findOwned(tenant: TenantId, subjectId: string, id: string): Promise<ConversationDoc | null> {
    return this.findOne(tenant, { _id: id, subjectId });
  }

  /** Most recently active first (titles are sealed: searching them happens after opening). */
  listOwned(tenant: TenantId, subjectId: string, limit: number): Promise<ConversationDoc[]> {
    return this.find(tenant, { subjectId }, { sort: { updatedAt: -1, _id: -1 }, limit });
  }

  /** Every conversation of one member (export). */
  allOwned(tenant: TenantId, subjectId: string): Promise<ConversationDoc[]> {
    return this.find(tenant, { subjectId }, { sort: { createdAt: 1, _id: 1 } });
  }

  /** Erasure: the member's conversations are deleted; returns how many. */
  deleteOwned(tenant: TenantId, subjectId: string): Promise<number> {
    return this.deleteMany(tenant, { subjectId });
  }

  /** Retention: conversations whose last activity is before `cutoff` (at most `limit`). */
  untouchedSince(tenant: TenantId, cutoff: Date, limit: number): Promise<ConversationDoc[]> {
    return this.find(tenant, { updatedAt: { $lt: cutoff } }, { sort: { updatedAt: 1 }, limit, projection: { _id: 1, subjectId: 1 } });
  }

  /** Only those still untouched since `before` (a chat may have touched one meanwhile). */
  deleteByIds(tenant: TenantId, ids: readonly string[], before: Date): Promise<number> {
    return this.deleteMany(tenant, { _id: { $in: [...ids] }, updatedAt: { $lt: before } });
  }

  async touch(tenant: TenantId, subjectId: string, id: string, at: Date): Promise<void> {
    await this.updateOne(tenant, { _id: id, subjectId }, { $max: { updatedAt: at } });
  }
}
