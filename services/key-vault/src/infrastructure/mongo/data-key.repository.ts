import type { Connection } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { DataKeyRecord, DataKeyRepository } from '../../application/ports';
import { dataKeySchema, type DataKeyDoc } from './data-key.schema';
import { isDuplicateKey, modelFor, toBuffer } from './model-for';

export class MongoDataKeyRepository extends TenantScopedRepository<DataKeyDoc> implements DataKeyRepository {
  constructor(connection: Connection, collection = 'data_keys') {
    super(modelFor<DataKeyDoc>(connection, `KeyVault:${collection}`, dataKeySchema, collection));
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async findLatest(tenant: TenantId): Promise<DataKeyRecord | null> {
    const [doc] = await this.find(tenant, {}, { sort: { dekVersion: -1 }, limit: 1 });
    return doc ? toRecord(tenant, doc) : null;
  }

  async findVersion(tenant: TenantId, dekVersion: number): Promise<DataKeyRecord | null> {
    const doc = await this.findOne(tenant, { dekVersion });
    return doc ? toRecord(tenant, doc) : null;
  }

  async insert(record: DataKeyRecord): Promise<boolean> {
    const { tenantId, ...doc } = record;
    try {
      await this.insertOne(tenantId, doc);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}

function toRecord(tenant: TenantId, doc: DataKeyDoc): DataKeyRecord {
  return { tenantId: tenant, dekVersion: doc.dekVersion, kekVersion: doc.kekVersion, wrapped: toBuffer(doc.wrapped), createdAt: doc.createdAt };
}
