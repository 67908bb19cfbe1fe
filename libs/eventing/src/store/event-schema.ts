import { Schema } from 'mongoose';

// One document per event. _id is the UUIDv7 event id (also the envelope id), so a re-inserted
// event cannot exist twice and consumers can de-duplicate on it.
export const eventSchema = new Schema(
  {
    _id: { type: String, required: true },
    streamId: { type: String, required: true },
    version: { type: Number, required: true },
    tenantId: { type: String, required: true },
    type: { type: String, required: true },
    subjectId: { type: String, default: '' },
    actor: {
      type: new Schema({ kind: Number, id: String, role: String }, { _id: false }),
      required: true,
    },
    occurredAt: { type: Date, required: true },
    schemaVersion: { type: Number, required: true },
    traceparent: { type: String, default: '' },
    tracestate: { type: String, default: '' },
    payload: { type: Buffer, required: true },
    seq: { type: Number, required: true },
    appendEnd: { type: Number, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

// Optimistic concurrency and readStream(): find({streamId, tenantId}).sort({version: 1}), and
// append()'s head check findOne({streamId, version: expectedVersion}). Unique: two appends at
// the same expected version both try to write version+1 and only one insert can succeed.
eventSchema.index({ streamId: 1, version: 1 }, { unique: true });

// The relay does not read this collection: it reads the small outbox next to it (outbox-schema.ts).
