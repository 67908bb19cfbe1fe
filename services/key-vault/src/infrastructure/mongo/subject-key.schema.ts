import { Schema } from 'mongoose';

/**
 * `subject_keys`: one document per person of a tenant. The person's 32-byte data key is stored
 * only wrapped by the KEK of `kekVersion` (bound to tenant, person and key id). Shredding sets
 * wrappedKey to null and stamps shreddedAt: the document stays as the tombstone that stops the
 * key from ever being created again. A tombstone of a person who never had a key has keyId null.
 */
export interface SubjectKeyDoc {
  tenantId: string;
  subjectId: string;
  keyId: string | null;
  kekVersion: number | null;
  wrappedKey: Buffer | null;
  createdAt: Date | null;
  /** SubjectKeyCreated was appended. */
  announced: boolean;
  shreddedAt: Date | null;
  /** The purge request that shredded the key. */
  shredRequestId: string | null;
}

export const subjectKeySchema = new Schema<SubjectKeyDoc>(
  {
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    keyId: { type: String, default: null },
    kekVersion: { type: Number, default: null },
    wrappedKey: { type: Buffer, default: null },
    createdAt: { type: Date, default: null },
    announced: { type: Boolean, default: false },
    shreddedAt: { type: Date, default: null },
    shredRequestId: { type: String, default: null },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

// findOne({tenantId, subjectId}) on every GetSubjectKey; unique: two first uses racing to
// create the key leave one (the loser reads the winner's), and a tombstone blocks any insert.
subjectKeySchema.index({ tenantId: 1, subjectId: 1 }, { unique: true });
// Operator re-wrap across tenants: find({kekVersion: {$ne: active}, shreddedAt: null, _id > last}).sort({_id: 1}).
subjectKeySchema.index({ kekVersion: 1, shreddedAt: 1 });
