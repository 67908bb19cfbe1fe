import { Schema } from 'mongoose';

/**
 * `provider_keys`: read model of each provider key stream, and its snapshot (the stream is
 * caught up from `streamVersion`), plus lastUsedAt from the key's decryption streams (only ever
 * moved forward). Masked metadata only.
 */
export interface ProviderKeyViewDoc {
  tenantId: string;
  keyId: string;
  provider: string;
  label: string;
  lastFour: string;
  fingerprint: string;
  currentVersion: number;
  createdAt: Date;
  lastUsedAt: Date | null;
  streamVersion: number;
}

export const providerKeyViewSchema = new Schema<ProviderKeyViewDoc>(
  {
    tenantId: { type: String, required: true },
    keyId: { type: String, required: true },
    provider: { type: String, required: true },
    label: { type: String, required: true },
    lastFour: { type: String, required: true },
    fingerprint: { type: String, required: true },
    currentVersion: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
    streamVersion: { type: Number, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

// findOne({tenantId, keyId}) and the version-guarded snapshot update; unique per key.
providerKeyViewSchema.index({ tenantId: 1, keyId: 1 }, { unique: true });
// The tenant's keys newest first, and the default key: find({tenantId}).sort({createdAt: -1, keyId: -1}).
providerKeyViewSchema.index({ tenantId: 1, createdAt: -1, keyId: -1 });
