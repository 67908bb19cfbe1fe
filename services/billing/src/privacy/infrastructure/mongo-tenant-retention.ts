import type { Connection, Model, mongo } from 'mongoose';
import type { TenantId } from '@enclave/eventing';
import { isDuplicateKeyError } from '../../shared/duplicate-key';
import type { TenantRetentionStore } from '../application/ports';
import { tenantRetentionSchema } from './tenant-retention.schema';

export class MongoTenantRetention implements TenantRetentionStore {
  private readonly model: Model<unknown>;

  constructor(connection: Connection) {
    this.model = connection.models.TenantRetention ?? connection.model('TenantRetention', tenantRetentionSchema);
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async usageDetailDays(tenant: TenantId): Promise<number | null> {
    const doc = await this.collection.findOne({ tenantId: tenant }, { projection: { usageDetailDays: 1 } });
    return typeof doc?.usageDetailDays === 'number' ? doc.usageDetailDays : null;
  }

  async put(tenant: TenantId, version: number, usageDetailDays: number | null): Promise<void> {
    try {
      // Matches only a row that is behind; a current or newer row makes the upsert's insert
      // collide with the unique tenantId, and the older settings are dropped.
      await this.collection.updateOne({ tenantId: tenant, version: { $lt: version } }, { $set: { usageDetailDays, version } }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  private get collection(): mongo.Collection {
    return this.model.collection as unknown as mongo.Collection;
  }
}
