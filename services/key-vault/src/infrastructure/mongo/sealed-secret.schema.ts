import { Schema } from 'mongoose';

/**
 * `secrets`: one document per version of a sealed secret: AES-256-GCM ciphertext and the data key
 * it was sealed under, wrapped by the KEK of `kekVersion`. Shredding sets wrappedDek to null and
 * stamps shreddedAt; the ciphertext stays behind, unreadable for good. Never any plaintext.
 */
export interface SealedSecretDoc {
  tenantId: string;
  kind: string;
  secretId: string;
  version: number;
  kekVersion: number;
  wrappedDek: Buffer | null;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  createdAt: Date;
  shreddedAt: Date | null;
}

export const sealedSecretSchema = new Schema<SealedSecretDoc>(
  {
    tenantId: { type: String, required: true },
    kind: { type: String, required: true },
    secretId: { type: String, required: true },
    version: { type: Number, required: true },
    kekVersion: { type: Number, required: true },
    wrappedDek: { type: Buffer, default: null },
    nonce: { type: Buffer, required: true },
    ciphertext: { type: Buffer, required: true },
    tag: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
    shreddedAt: { type: Date, default: null },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

// find({tenantId, secretId, version}) when opening; unique: a version is sealed once (a racing
// second attempt moves on to the next number). Shredding: update({tenantId, secretId}).
sealedSecretSchema.index({ tenantId: 1, secretId: 1, version: 1 }, { unique: true });
// Operator re-wrap across tenants: find({kekVersion: {$ne: active}, shreddedAt: null, _id > last}).sort({_id: 1}).
sealedSecretSchema.index({ kekVersion: 1, shreddedAt: 1 });
