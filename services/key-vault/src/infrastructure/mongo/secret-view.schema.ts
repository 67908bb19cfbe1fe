import { Schema } from 'mongoose';

/**
 * `secret_views`: read model of each secret stream and its snapshot (the stream is caught up from
 * `streamVersion`), plus lastUsedAt from the secret's decryption streams (only ever moved
 * forward). Masked metadata only. Deleted secrets stay (as the snapshot) with deletedAt set.
 */
export interface SecretViewDoc {
  tenantId: string;
  secretId: string;
  kind: string;
  provider: string | null;
  label: string;
  lastFour: string;
  fingerprint: string;
  currentVersion: number;
  versions: Array<{ version: number; createdAt: Date; retiresAt: Date | null; retiredAt: Date | null }>;
  createdAt: Date;
  rotatedAt: Date | null;
  lastUsedAt: Date | null;
  lastTest: { at: Date; version: number; outcome: string } | null;
  deletedAt: Date | null;
  /** The earliest retiresAt of a version not yet retired (the sweeper's index). */
  nextRetirementAt: Date | null;
  streamVersion: number;
}

const versionSchema = new Schema(
  { version: Number, createdAt: Date, retiresAt: { type: Date, default: null }, retiredAt: { type: Date, default: null } },
  { _id: false },
);

export const secretViewSchema = new Schema<SecretViewDoc>(
  {
    tenantId: { type: String, required: true },
    secretId: { type: String, required: true },
    kind: { type: String, required: true },
    provider: { type: String, default: null },
    label: { type: String, required: true },
    lastFour: { type: String, default: '' },
    fingerprint: { type: String, required: true },
    currentVersion: { type: Number, required: true },
    versions: { type: [versionSchema], default: [] },
    createdAt: { type: Date, required: true },
    rotatedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    lastTest: { type: new Schema({ at: Date, version: Number, outcome: String }, { _id: false }), default: null },
    deletedAt: { type: Date, default: null },
    nextRetirementAt: { type: Date, default: null },
    streamVersion: { type: Number, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

// findOne({tenantId, secretId}) and the version-guarded snapshot update; unique per secret.
secretViewSchema.index({ tenantId: 1, secretId: 1 }, { unique: true });
// A tenant's live secrets of a kind, newest first (the first provider key is the default).
secretViewSchema.index({ tenantId: 1, kind: 1, deletedAt: 1, createdAt: -1, secretId: -1 });
// The retirement sweeper: find({nextRetirementAt: {$lte: now}}).
secretViewSchema.index({ nextRetirementAt: 1 });
