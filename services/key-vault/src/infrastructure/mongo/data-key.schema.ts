import { Schema } from 'mongoose';

/** `data_keys`: each tenant's data keys, stored only wrapped by a key-encryption key. */
export interface DataKeyDoc {
  tenantId: string;
  dekVersion: number;
  kekVersion: number;
  wrapped: Buffer;
  createdAt: Date;
}

export const dataKeySchema = new Schema<DataKeyDoc>(
  {
    tenantId: { type: String, required: true },
    dekVersion: { type: Number, required: true },
    kekVersion: { type: Number, required: true },
    wrapped: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

// find({tenantId, dekVersion}) and find({tenantId}).sort({dekVersion: -1}) (the active key);
// unique: two first-use requests racing create only one version 1.
dataKeySchema.index({ tenantId: 1, dekVersion: 1 }, { unique: true });
// Re-wrapping under a new KEK: find({kekVersion: {$ne: active}}).
dataKeySchema.index({ kekVersion: 1 });
