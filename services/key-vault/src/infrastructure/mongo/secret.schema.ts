import { Schema } from 'mongoose';

/** `secrets`: one document per version of a sealed secret. Only ciphertext, never plaintext. */
export interface SecretDoc {
  tenantId: string;
  secretId: string;
  version: number;
  dekVersion: number;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  createdAt: Date;
}

export const secretSchema = new Schema<SecretDoc>(
  {
    tenantId: { type: String, required: true },
    secretId: { type: String, required: true },
    version: { type: Number, required: true },
    dekVersion: { type: Number, required: true },
    nonce: { type: Buffer, required: true },
    ciphertext: { type: Buffer, required: true },
    tag: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

// find({tenantId, secretId, version}) when opening a secret; unique: a version is sealed once.
secretSchema.index({ tenantId: 1, secretId: 1, version: 1 }, { unique: true });
