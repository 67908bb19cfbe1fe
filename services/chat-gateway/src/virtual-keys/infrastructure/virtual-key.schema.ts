import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Read model of virtual keys, collection virtual_keys. _id = HMAC of the key (see key-hasher):
 * the API's lookup is an _id lookup, the only query FerretDB answers without scanning.
 * Listing and revoking (owner/admin only, rare) filter by tenant and key id.
 */
export interface VirtualKeyDocument {
  _id: string;
  tenantId: string;
  keyId: string;
  label: string;
  lastFour: string;
  rateLimitPerMinute: number;
  monthlyTokenLimit: number | null;
  allowedModels: string[];
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const schema = new Schema<VirtualKeyDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    keyId: { type: String, required: true },
    label: { type: String, required: true },
    lastFour: { type: String, required: true },
    rateLimitPerMinute: { type: Number, required: true },
    monthlyTokenLimit: { type: Number, default: null },
    allowedModels: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'virtual_keys', autoIndex: false },
);
// Serves the owner/admin list and the revoke lookup (tenantId, keyId) on a real MongoDB.
schema.index({ tenantId: 1, keyId: 1 }, { unique: true });

export function virtualKeyModel(connection: Connection): Model<VirtualKeyDocument> {
  return (connection.models.VirtualKey as Model<VirtualKeyDocument> | undefined) ?? connection.model<VirtualKeyDocument>('VirtualKey', schema);
}
