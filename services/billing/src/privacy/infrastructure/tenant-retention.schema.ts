import { Schema } from 'mongoose';

/**
 * Read model `tenant_retention`: per tenant, the usage-detail period of its latest settings
 * (null = never set: the default applies) and the tenant stream version it comes from.
 */
export const tenantRetentionSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    usageDetailDays: { type: Number, default: null },
    version: { type: Number, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true, collection: 'tenant_retention' },
);
// findOne({tenantId}) per tenant and retention run; the version-guarded upsert per tenant.
tenantRetentionSchema.index({ tenantId: 1 }, { unique: true });
