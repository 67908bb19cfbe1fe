import type { Connection, Model, mongo } from 'mongoose';
import type { Checkpoint } from '../domain/checkpoint';
import type { CheckpointStore } from '../application/ports';
import { checkpointSchema } from './checkpoint.schema';

/** audit_checkpoints; every query names its tenant. */
export class MongoCheckpointStore implements CheckpointStore {
  private readonly model: Model<unknown>;

  constructor(connection: Connection) {
    this.model = connection.models.AuditCheckpoint ?? connection.model('AuditCheckpoint', checkpointSchema);
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async insert(checkpoint: Checkpoint): Promise<'inserted' | 'exists'> {
    try {
      await this.collection.insertOne({ ...checkpoint });
      return 'inserted';
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 11000) return 'exists';
      throw error;
    }
  }

  async latest(tenant: string): Promise<Checkpoint | undefined> {
    return (await this.newestFirst(tenant, undefined, 1))[0];
  }

  async atSize(tenant: string, treeSize: number): Promise<Checkpoint | undefined> {
    const doc = await this.collection.findOne({ tenantId: tenant, treeSize });
    return doc ? toCheckpoint(doc) : undefined;
  }

  async newestFirst(tenant: string, before: number | undefined, limit: number): Promise<Checkpoint[]> {
    const filter = before === undefined ? { tenantId: tenant } : { tenantId: tenant, treeSize: { $lt: before } };
    return (await this.collection.find(filter).sort({ treeSize: -1 }).limit(limit).toArray()).map(toCheckpoint);
  }

  async oldestFirst(tenant: string, after: number, limit: number): Promise<Checkpoint[]> {
    return (await this.collection.find({ tenantId: tenant, treeSize: { $gt: after } }).sort({ treeSize: 1 }).limit(limit).toArray()).map(toCheckpoint);
  }

  async between(tenant: string, minSize: number, maxSize: number): Promise<Checkpoint[]> {
    const docs = await this.collection.find({ tenantId: tenant, treeSize: { $gte: minSize, $lte: maxSize } }).sort({ treeSize: 1 }).toArray();
    return docs.map(toCheckpoint);
  }

  private get collection(): mongo.Collection {
    return this.model.collection as unknown as mongo.Collection;
  }
}

function toCheckpoint(doc: mongo.Document): Checkpoint {
  return {
    tenantId: String(doc.tenantId),
    treeSize: Number(doc.treeSize),
    rootHash: String(doc.rootHash),
    issuedAt: new Date(doc.issuedAt as Date),
    keyId: String(doc.keyId),
    signature: String(doc.signature),
  };
}
