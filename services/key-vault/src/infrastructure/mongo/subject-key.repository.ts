import { Types, type Connection } from 'mongoose';
import { TenantScopedRepository, tenantId as checkedTenantId, type TenantId } from '@enclave/eventing';
import type { WrappedDataKey } from '../../application/ports';
import type { NewSubjectKey, StoredSubjectKey, SubjectKeyRepository } from '../../application/subject-key-ports';
import type { SubjectKeyState } from '../../domain/subject-key/subject-key';
import { isDuplicateKey, modelFor, toBuffer } from './model-for';
import { subjectKeySchema, type SubjectKeyDoc } from './subject-key.schema';

/** Attempts of shred() when a first use inserts the key between its filter and its upsert. */
const SHRED_ATTEMPTS = 3;

export class MongoSubjectKeys extends TenantScopedRepository<SubjectKeyDoc> implements SubjectKeyRepository {
  constructor(connection: Connection, collection = 'subject_keys') {
    super(modelFor<SubjectKeyDoc>(connection, `KeyVault:${collection}`, subjectKeySchema, collection));
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async lookup(tenant: TenantId, subjectId: string): Promise<StoredSubjectKey | null> {
    const doc = await this.findOne(tenant, { subjectId });
    return doc ? toStored(doc) : null;
  }

  async insert(key: NewSubjectKey): Promise<boolean> {
    const { tenantId, wrappedKey, ...rest } = key;
    try {
      await this.insertOne(tenantId, { ...rest, wrappedKey, announced: false, shreddedAt: null, shredRequestId: null });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async markAnnounced(tenant: TenantId, subjectId: string, keyId: string): Promise<void> {
    await this.updateOne(tenant, { subjectId, keyId }, { $set: { announced: true } });
  }

  async shred(tenant: TenantId, subjectId: string, requestId: string, at: Date): Promise<SubjectKeyState> {
    for (let attempt = 1; attempt <= SHRED_ATTEMPTS; attempt += 1) {
      try {
        await this.updateOne(
          tenant,
          { subjectId, shreddedAt: null },
          {
            $set: { wrappedKey: null, shreddedAt: at, shredRequestId: requestId },
            $setOnInsert: { keyId: null, kekVersion: null, createdAt: null, announced: true },
          },
          { upsert: true },
        );
      } catch (error) {
        // Already shredded (the filter missed, the upsert hit the unique key), or a first use
        // inserted the key in between: read it and try again if it is still live.
        if (!isDuplicateKey(error)) throw error;
      }
      const doc = await this.findOne(tenant, { subjectId });
      if (doc && doc.shreddedAt) return toStored(doc).state;
    }
    throw new Error('subject key could not be shredded: it kept changing');
  }

  // The four methods below are the operator's re-wrap and deliberately span all tenants.

  async wrappedUnderOtherVersions(kekVersion: number, afterId: string | null, limit: number): Promise<WrappedDataKey[]> {
    const filter: Record<string, unknown> = { kekVersion: { $ne: kekVersion }, shreddedAt: null };
    if (afterId) filter._id = { $gt: new Types.ObjectId(afterId) };
    const docs = await this.model.find(filter).sort({ _id: 1 }).limit(limit).lean<Array<SubjectKeyDoc & { _id: Types.ObjectId }>>().exec();
    return docs
      .filter((doc) => doc.wrappedKey && doc.keyId && doc.kekVersion !== null)
      .map((doc) => ({
        id: doc._id.toHexString(),
        tenantId: checkedTenantId(doc.tenantId),
        kind: 'subject-key' as const,
        secretId: doc.keyId!,
        version: 1,
        subjectId: doc.subjectId,
        kekVersion: doc.kekVersion!,
        wrappedDek: toBuffer(doc.wrappedKey),
      }));
  }

  countWrappedUnderOtherVersions(kekVersion: number): Promise<number> {
    return this.model.countDocuments({ kekVersion: { $ne: kekVersion }, shreddedAt: null }).exec();
  }

  async liveDataKeysByKekVersion(): Promise<Record<string, number>> {
    const groups = await this.model
      .aggregate<{ _id: number; count: number }>([{ $match: { shreddedAt: null } }, { $group: { _id: '$kekVersion', count: { $sum: 1 } } }])
      .exec();
    return Object.fromEntries(groups.map((g) => [String(g._id), g.count]));
  }

  async replaceWrapping(key: WrappedDataKey, kekVersion: number, wrappedDek: Buffer): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: new Types.ObjectId(key.id), tenantId: key.tenantId, kekVersion: key.kekVersion, shreddedAt: null },
        { $set: { kekVersion, wrappedKey: wrappedDek } },
      )
      .exec();
    return res.modifiedCount === 1;
  }
}

function toStored(doc: SubjectKeyDoc): StoredSubjectKey {
  const wrappedKey = doc.wrappedKey ? toBuffer(doc.wrappedKey) : null;
  let state: SubjectKeyState;
  if (doc.shreddedAt) {
    state = { status: 'shredded', keyId: doc.keyId ?? null, createdAt: doc.createdAt ?? null, shreddedAt: doc.shreddedAt, requestId: doc.shredRequestId ?? '' };
  } else if (doc.keyId && doc.createdAt && wrappedKey) {
    state = { status: 'live', keyId: doc.keyId, createdAt: doc.createdAt };
  } else {
    throw new Error('subject_keys holds a live key without key material');
  }
  return { state, kekVersion: doc.kekVersion ?? null, wrappedKey, announced: doc.announced ?? false };
}
