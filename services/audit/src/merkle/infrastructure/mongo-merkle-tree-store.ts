import type { Connection, Model, mongo } from 'mongoose';
import type { Subtree, SubtreeAddress } from '../domain/frontier';
import { fromHex, toHex } from '../domain/merkle-hash';
import { addressKey, type MerkleTreeStore } from '../application/ports';
import { merkleBlockSchema, merkleNodeSchema, merkleStateSchema } from './merkle-tree.schema';

/** audit_merkle_state, audit_merkle_blocks, audit_merkle_nodes; every query names its tenant. */
export class MongoMerkleTreeStore implements MerkleTreeStore {
  private readonly models: Array<Model<unknown>>;

  constructor(connection: Connection) {
    const model = (name: string, schema: typeof merkleStateSchema) => connection.models[name] ?? connection.model(name, schema);
    this.models = [model('AuditMerkleState', merkleStateSchema), model('AuditMerkleBlock', merkleBlockSchema), model('AuditMerkleNode', merkleNodeSchema)];
  }

  async init(): Promise<void> {
    for (const model of this.models) {
      await model.init();
      await model.createIndexes();
    }
  }

  async size(tenant: string): Promise<number> {
    const doc = await this.collection(0).findOne({ tenantId: tenant }, { projection: { size: 1 } });
    return doc ? Number(doc.size) : 0;
  }

  async advance(tenant: string, size: number): Promise<void> {
    await this.collection(0).updateOne({ tenantId: tenant }, { $max: { size } }, { upsert: true });
  }

  async blocks(tenant: string, indexes: readonly number[]): Promise<Map<number, Buffer[]>> {
    const docs = await this.collection(1).find({ tenantId: tenant, block: { $in: [...indexes] } }).toArray();
    return new Map(docs.map((d) => [Number(d.block), (d.leaves as string[]).map(fromHex)]));
  }

  async saveBlocks(tenant: string, blocks: ReadonlyMap<number, readonly Buffer[]>): Promise<void> {
    for (const [block, leaves] of blocks) {
      try {
        await this.collection(1).updateOne(
          { tenantId: tenant, block, count: { $lt: leaves.length } },
          { $set: { count: leaves.length, leaves: leaves.map(toHex) } },
          { upsert: true },
        );
      } catch (error) {
        // The block is stored already with as many leaves or more (another writer): keep it.
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  async nodes(tenant: string, addresses: readonly SubtreeAddress[]): Promise<Map<string, Buffer>> {
    const byLevel = new Map<number, number[]>();
    for (const a of addresses) byLevel.set(a.level, [...(byLevel.get(a.level) ?? []), a.index]);
    const found = new Map<string, Buffer>();
    for (const [level, indexes] of byLevel) {
      const docs = await this.collection(2).find({ tenantId: tenant, level, index: { $in: indexes } }).toArray();
      for (const d of docs) found.set(addressKey({ level, index: Number(d.index) }), fromHex(String(d.hash)));
    }
    return found;
  }

  async saveNodes(tenant: string, nodes: readonly Subtree[]): Promise<void> {
    if (nodes.length === 0) return;
    try {
      await this.collection(2).insertMany(
        nodes.map((n) => ({ tenantId: tenant, level: n.level, index: n.index, hash: toHex(n.hash) })),
        { ordered: false },
      );
    } catch (error) {
      // Subtrees stored already (a rebuild, or another writer) are kept; anything else fails.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  private collection(i: 0 | 1 | 2): mongo.Collection {
    return this.models[i]!.collection as unknown as mongo.Collection;
  }
}

function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: unknown; writeErrors?: Array<{ code?: unknown }> } | null;
  if (!e) return false;
  if (e.writeErrors && e.writeErrors.length > 0) return e.writeErrors.every((w) => w.code === 11000);
  return e.code === 11000;
}
