import { Schema } from 'mongoose';

// Read model `quotas`: one row per tenant, the quota as of stream `version` (null = unlimited).
export const quotaSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    monthlyTokenQuota: { type: Number, default: null },
    version: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true, collection: 'quotas' },
);
// get(): findOne({tenantId}); project(): the version-guarded upsert on the same key. Unique,
// so an upsert that loses the version guard fails instead of creating a second row.
quotaSchema.index({ tenantId: 1 }, { unique: true });
