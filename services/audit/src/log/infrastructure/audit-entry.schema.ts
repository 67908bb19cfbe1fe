import { Schema } from 'mongoose';

// One document per log entry; written once, never updated. payload is the canonical JSON text
// the hash commits to, stored verbatim.
export const auditEntrySchema = new Schema(
  {
    tenantId: { type: String, required: true },
    seq: { type: Number, required: true },
    eventId: { type: String, required: true },
    service: { type: String, required: true },
    type: { type: String, required: true },
    actor: {
      type: new Schema({ kind: String, id: String, role: String }, { _id: false }),
      required: true,
    },
    subjectId: { type: String, default: '' },
    occurredAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    payload: { type: String, required: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
    /** The entry's block of consecutive seqs (see block-pages.ts): pages are read by equality on it. */
    blk: { type: String },
  },
  { versionKey: false, autoIndex: false, autoCreate: true, collection: 'audit_entries' },
);

// Append order and chain checks: head() = find({tenantId}).sort({seq: -1}).limit(1), page() and
// query() = find({tenantId, seq: {$gt}, ...}).sort({seq: 1}). Unique: two writers that read the
// same head cannot both append the next seq; the loser reloads the head.
auditEntrySchema.index({ tenantId: 1, seq: 1 }, { unique: true });

// Idempotency: _id is the event id (see MongoAuditLog), so a redelivered or duplicated event can
// never become a second entry, with no secondary index to update per insert. (Logs created
// before keep their unique eventId index; nothing drops it.)
