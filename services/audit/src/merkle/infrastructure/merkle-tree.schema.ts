import { Schema } from 'mongoose';

// How many leaves a tenant's stored tree holds. advance() = updateOne({tenantId}, {$max: {size}}, upsert).
export const merkleStateSchema = new Schema(
  { tenantId: { type: String, required: true }, size: { type: Number, required: true } },
  { versionKey: false, autoIndex: false, autoCreate: true, collection: 'audit_merkle_state' },
);
merkleStateSchema.index({ tenantId: 1 }, { unique: true });

// Leaf hashes (hex) in blocks of 256; the last block of a tenant grows. blocks() =
// find({tenantId, block: {$in}}); saveBlocks() replaces a block only with a longer one (count).
export const merkleBlockSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    block: { type: Number, required: true },
    count: { type: Number, required: true },
    leaves: { type: [String], required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true, collection: 'audit_merkle_blocks' },
);
merkleBlockSchema.index({ tenantId: 1, block: 1 }, { unique: true });

// Perfect subtrees of 256 leaves and up, written once. nodes() = find({tenantId, level, index: {$in}}).
export const merkleNodeSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    level: { type: Number, required: true },
    index: { type: Number, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true, collection: 'audit_merkle_nodes' },
);
merkleNodeSchema.index({ tenantId: 1, level: 1, index: 1 }, { unique: true });
