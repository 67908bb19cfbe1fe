import { Schema, type Collection, type Connection } from 'mongoose';
import { modelFor, onceReady, type ModelHandle } from '../store/model-handle';

const processedSchema = new Schema(
  {
    // `<consumer>/<eventId>`: lookups by _id are the only ones FerretDB (our local MongoDB-wire
    // database) answers without scanning the collection, and has() runs once per message.
    _id: { type: String, required: true },
    consumer: { type: String, required: true },
    eventId: { type: String, required: true },
    processedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);
// Audits and pruning jobs: which events did a consumer handle. Unique, so two deliveries racing
// to record the same event leave one marker even where _id were derived differently.
processedSchema.index({ consumer: 1, eventId: 1 }, { unique: true });

function markerId(consumer: string, eventId: string): string {
  return `${consumer}/${eventId}`;
}

/** Which events a consumer (group) has fully handled: the de-duplication memory. */
export class ProcessedEvents {
  private readonly model: ModelHandle;
  readonly init: () => Promise<void>;

  constructor(connection: Connection, collection = 'processed_events') {
    this.model = modelFor(connection, `ProcessedEvents:${collection}`, processedSchema, collection);
    this.init = onceReady(this.model);
  }

  async has(consumer: string, eventId: string): Promise<boolean> {
    return (await this.collection.findOne({ _id: markerId(consumer, eventId) }, { projection: { _id: 1 } })) !== null;
  }

  /** Idempotent: recording the same event twice keeps one marker. */
  async mark(consumer: string, eventId: string, at: Date = new Date()): Promise<void> {
    await this.collection.updateOne(
      { _id: markerId(consumer, eventId) },
      { $setOnInsert: { consumer, eventId, processedAt: at } },
      { upsert: true },
    );
  }

  /** Forgets the markers a consumer recorded before `cutoff` (retention); returns how many. */
  async deleteBefore(consumer: string, cutoff: Date): Promise<number> {
    const result = await this.collection.deleteMany({ consumer, processedAt: { $lt: cutoff } } as never);
    return result.deletedCount;
  }

  private get collection(): Collection<{ _id: string }> {
    return this.model.collection as unknown as Collection<{ _id: string }>;
  }
}
