import type { Connection, Model, mongo } from 'mongoose';
import type { TenantId } from '@enclave/eventing';
import type { MonthlyTokenQuota } from '../domain/quota-status';
import type { ProjectedQuota, QuotaReadModel } from '../application/ports';
import { isDuplicateKeyError } from '../../shared/duplicate-key';
import { quotaSchema } from './quota.schema';

export class MongoQuotaReadModel implements QuotaReadModel {
  private readonly model: Model<unknown>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.model = connection.models.Quota ?? connection.model('Quota', quotaSchema);
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async get(tenant: TenantId): Promise<ProjectedQuota | null> {
    const doc = await this.collection.findOne({ tenantId: tenant });
    return doc ? toProjected(doc) : null;
  }

  async project(tenant: TenantId, version: number, quota: MonthlyTokenQuota): Promise<void> {
    try {
      // Matches only a row that is behind; when the row is current or ahead, the upsert's insert
      // collides with the unique tenantId and the older fact is dropped.
      await this.collection.updateOne(
        { tenantId: tenant, version: { $lt: version } },
        { $set: { monthlyTokenQuota: quota, version, updatedAt: this.clock() } },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async *all(): AsyncIterable<ProjectedQuota> {
    for await (const doc of this.collection.find({})) yield toProjected(doc);
  }

  private get collection(): mongo.Collection {
    return this.model.collection as unknown as mongo.Collection;
  }
}

function toProjected(doc: mongo.Document): ProjectedQuota {
  const quota = doc.monthlyTokenQuota;
  return {
    tenantId: String(doc.tenantId),
    monthlyTokenQuota: typeof quota === 'number' ? quota : null,
    version: Number(doc.version),
  };
}
