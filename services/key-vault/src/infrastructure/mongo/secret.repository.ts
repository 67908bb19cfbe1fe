import type { Connection } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { SecretRecord, SecretRepository } from '../../application/ports';
import { modelFor, toBuffer } from './model-for';
import { secretSchema, type SecretDoc } from './secret.schema';

export class MongoSecretRepository extends TenantScopedRepository<SecretDoc> implements SecretRepository {
  constructor(connection: Connection, collection = 'secrets') {
    super(modelFor<SecretDoc>(connection, `KeyVault:${collection}`, secretSchema, collection));
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async insert(record: SecretRecord): Promise<void> {
    const { tenantId, ...doc } = record;
    await this.insertOne(tenantId, doc);
  }

  async get(tenant: TenantId, secretId: string, version: number): Promise<SecretRecord | null> {
    const doc = await this.findOne(tenant, { secretId, version });
    if (!doc) return null;
    return {
      tenantId: tenant,
      secretId: doc.secretId,
      version: doc.version,
      dekVersion: doc.dekVersion,
      nonce: toBuffer(doc.nonce),
      ciphertext: toBuffer(doc.ciphertext),
      tag: toBuffer(doc.tag),
      createdAt: doc.createdAt,
    };
  }
}
