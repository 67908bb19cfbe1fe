import { Schema } from 'mongoose';

// One signed checkpoint of a tenant's Merkle tree; written once, never updated.
export const checkpointSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    treeSize: { type: Number, required: true },
    rootHash: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    keyId: { type: String, required: true },
    signature: { type: String, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true, collection: 'audit_checkpoints' },
);

// Unique: one checkpoint per tree size (two replicas signing the same size keep one). Serves
// latest() = find({tenantId}).sort({treeSize: -1}).limit(1), the pages by treeSize either way,
// and between() for exports.
checkpointSchema.index({ tenantId: 1, treeSize: 1 }, { unique: true });
