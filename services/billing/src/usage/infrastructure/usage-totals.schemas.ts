import { Schema } from 'mongoose';

// Totals are kept with $inc upserts (FerretDB's aggregation is weak), each guarded by the ids
// of the events already applied to that document (see guarded-increment.ts).
const totals = {
  tenantId: { type: String, required: true },
  promptTokens: { type: Number, default: 0 },
  completionTokens: { type: Number, default: 0 },
  messages: { type: Number, default: 0 },
  applied: { type: [String], default: [] },
  appliedCount: { type: Number, default: 0 },
};

export const usageDailySchema = new Schema(
  { ...totals, day: { type: String, required: true }, memberSubjectId: { type: String, required: true }, model: { type: String, required: true } },
  { versionKey: false, autoIndex: false, autoCreate: true, collection: 'usage_daily' },
);
// The guarded upsert of one usage event (one document per key), and the month report's
// $match {tenantId, day: {$gte, $lte}} before grouping by member, model and day.
usageDailySchema.index({ tenantId: 1, day: 1, memberSubjectId: 1, model: 1 }, { unique: true });
// A person's detail for their export and erasure: find/deleteMany({tenantId, memberSubjectId}).
usageDailySchema.index({ tenantId: 1, memberSubjectId: 1 });

export const usageMonthlySchema = new Schema(
  { ...totals, month: { type: String, required: true } },
  { versionKey: false, autoIndex: false, autoCreate: true, collection: 'usage_monthly' },
);
// The guarded upsert, the report's totals and the quota check: findOne({tenantId, month}).
// Redis re-sync at start: find({month}) over all tenants uses the month_1 index below.
usageMonthlySchema.index({ tenantId: 1, month: 1 }, { unique: true });
usageMonthlySchema.index({ month: 1 });
