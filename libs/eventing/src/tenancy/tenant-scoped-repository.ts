import type { FilterQuery, Model, ProjectionType, SortOrder, UpdateQuery } from 'mongoose';
import type { TenantId } from './tenant-id';
import { assertUpdateKeepsTenant, scopeFilter } from './tenant-scope';

/** A filter on a tenant-scoped collection; the tenant comes from the TenantId argument. */
export type TenantFilter<TDoc> = FilterQuery<Omit<TDoc, 'tenantId'>> & { tenantId?: never };

export interface FindOptions<TDoc> {
  sort?: Record<string, SortOrder>;
  limit?: number;
  skip?: number;
  projection?: ProjectionType<TDoc>;
}

/**
 * Base class for read-model repositories. Every query method takes the tenant as its first
 * argument, typed as the branded TenantId, so a query that forgets it does not compile; at run
 * time scopeFilter() refuses a missing tenant again (defence in depth for casts and plain JS).
 * Subclasses add intention-revealing methods (findByEmail, …) built on these.
 */
export abstract class TenantScopedRepository<TDoc extends { tenantId: string }> {
  protected constructor(protected readonly model: Model<TDoc>) {}

  async find(tenant: TenantId, filter: TenantFilter<TDoc> = {}, options: FindOptions<TDoc> = {}): Promise<TDoc[]> {
    const scoped = this.scoped(tenant, filter);
    const query = this.model.find(scoped, options.projection);
    if (options.sort) query.sort(options.sort);
    if (options.skip !== undefined) query.skip(options.skip);
    if (options.limit !== undefined) query.limit(options.limit);
    return query.lean<TDoc[]>().exec();
  }

  async findOne(tenant: TenantId, filter: TenantFilter<TDoc>): Promise<TDoc | null> {
    const scoped = this.scoped(tenant, filter);
    return this.model.findOne(scoped).lean<TDoc>().exec();
  }

  async count(tenant: TenantId, filter: TenantFilter<TDoc> = {}): Promise<number> {
    const scoped = this.scoped(tenant, filter);
    return this.model.countDocuments(scoped).exec();
  }

  async insertOne(tenant: TenantId, doc: Omit<TDoc, 'tenantId'>): Promise<void> {
    const scoped = scopeFilter(tenant, doc as Record<string, unknown>);
    await this.model.collection.insertOne(scoped as never);
  }

  /** Updates one document; with upsert the tenant id from the filter is written into a new one. */
  async updateOne(
    tenant: TenantId,
    filter: TenantFilter<TDoc>,
    update: UpdateQuery<TDoc>,
    options: { upsert?: boolean } = {},
  ): Promise<{ matched: number; modified: number; upserted: boolean }> {
    const scoped = this.scoped(tenant, filter);
    assertUpdateKeepsTenant(update as Record<string, unknown>);
    const res = await this.model.updateOne(scoped, update, { upsert: options.upsert ?? false }).exec();
    return { matched: res.matchedCount, modified: res.modifiedCount, upserted: res.upsertedCount > 0 };
  }

  async updateMany(tenant: TenantId, filter: TenantFilter<TDoc>, update: UpdateQuery<TDoc>): Promise<number> {
    const scoped = this.scoped(tenant, filter);
    assertUpdateKeepsTenant(update as Record<string, unknown>);
    const res = await this.model.updateMany(scoped, update).exec();
    return res.modifiedCount;
  }

  /** Returns the document after the update (or the upserted one). */
  async findOneAndUpdate(
    tenant: TenantId,
    filter: TenantFilter<TDoc>,
    update: UpdateQuery<TDoc>,
    options: { upsert?: boolean } = {},
  ): Promise<TDoc | null> {
    const scoped = this.scoped(tenant, filter);
    assertUpdateKeepsTenant(update as Record<string, unknown>);
    return this.model
      .findOneAndUpdate(scoped, update, { upsert: options.upsert ?? false, new: true })
      .lean<TDoc>()
      .exec();
  }

  async deleteMany(tenant: TenantId, filter: TenantFilter<TDoc>): Promise<number> {
    const scoped = this.scoped(tenant, filter);
    const res = await this.model.deleteMany(scoped).exec();
    return res.deletedCount;
  }

  protected scoped(tenant: TenantId, filter: TenantFilter<TDoc>): FilterQuery<TDoc> {
    return scopeFilter(tenant, filter as Record<string, unknown>) as FilterQuery<TDoc>;
  }
}
