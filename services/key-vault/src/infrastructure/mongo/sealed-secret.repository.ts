import { Types, type Connection } from 'mongoose';
import { TenantScopedRepository, tenantId as checkedTenantId, type TenantId } from '@enclave/eventing';
import type { SealedSecretRecord, SealedSecretRepository, WrappedDataKey } from '../../application/ports';
import { isSecretKind, type SecretKind } from '../../domain/secret/secret-kind';
import { isDuplicateKey, modelFor, toBuffer } from './model-for';
import { sealedSecretSchema, type SealedSecretDoc } from './sealed-secret.schema';

export class MongoSealedSecrets extends TenantScopedRepository<SealedSecretDoc> implements SealedSecretRepository {
  constructor(connection: Connection, collection = 'secrets') {
    super(modelFor<SealedSecretDoc>(connection, `KeyVault:${collection}`, sealedSecretSchema, collection));
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async insert(record: SealedSecretRecord): Promise<boolean> {
    const { tenantId, ...doc } = record;
    try {
      await this.insertOne(tenantId, doc);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async get(tenant: TenantId, secretId: string, version: number): Promise<SealedSecretRecord | null> {
    const doc = await this.findOne(tenant, { secretId, version });
    if (!doc) return null;
    return {
      tenantId: tenant,
      kind: kindOf(doc.kind),
      secretId: doc.secretId,
      version: doc.version,
      kekVersion: doc.kekVersion,
      wrappedDek: doc.wrappedDek ? toBuffer(doc.wrappedDek) : null,
      nonce: toBuffer(doc.nonce),
      ciphertext: toBuffer(doc.ciphertext),
      tag: toBuffer(doc.tag),
      createdAt: doc.createdAt,
      shreddedAt: doc.shreddedAt ?? null,
    };
  }

  async shred(tenant: TenantId, secretId: string, versions: number[] | 'all', at: Date): Promise<number> {
    const which = versions === 'all' ? {} : { version: { $in: versions } };
    return this.updateMany(tenant, { secretId, ...which, shreddedAt: null }, { $set: { wrappedDek: null, shreddedAt: at } });
  }

  // The three methods below are the operator's re-wrap and deliberately span all tenants.

  async wrappedUnderOtherVersions(kekVersion: number, afterId: string | null, limit: number): Promise<WrappedDataKey[]> {
    const filter: Record<string, unknown> = { kekVersion: { $ne: kekVersion }, shreddedAt: null };
    if (afterId) filter._id = { $gt: new Types.ObjectId(afterId) };
    const docs = await this.model.find(filter).sort({ _id: 1 }).limit(limit).lean<Array<SealedSecretDoc & { _id: Types.ObjectId }>>().exec();
    return docs
      .filter((doc) => doc.wrappedDek)
      .map((doc) => ({
        id: doc._id.toHexString(),
        tenantId: checkedTenantId(doc.tenantId),
        kind: kindOf(doc.kind),
        secretId: doc.secretId,
        version: doc.version,
        kekVersion: doc.kekVersion,
        wrappedDek: toBuffer(doc.wrappedDek),
      }));
  }

  countWrappedUnderOtherVersions(kekVersion: number): Promise<number> {
    return this.model.countDocuments({ kekVersion: { $ne: kekVersion }, shreddedAt: null }).exec();
  }

  async liveDataKeysByKekVersion(): Promise<Record<string, number>> {
    const groups = await this.model
      .aggregate<{ _id: number; count: number }>([{ $match: { shreddedAt: null } }, { $group: { _id: '$kekVersion', count: { $sum: 1 } } }])
      .exec();
    return Object.fromEntries(groups.sort((a, b) => a._id - b._id).map((g) => [String(g._id), g.count]));
  }

  async replaceWrapping(key: WrappedDataKey, kekVersion: number, wrappedDek: Buffer): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: new Types.ObjectId(key.id), tenantId: key.tenantId, kekVersion: key.kekVersion, shreddedAt: null },
        { $set: { kekVersion, wrappedDek } },
      )
      .exec();
    return res.modifiedCount === 1;
  }
}

function kindOf(kind: string): SecretKind {
  if (!isSecretKind(kind)) throw new Error('secrets holds an unknown kind');
  return kind;
}
