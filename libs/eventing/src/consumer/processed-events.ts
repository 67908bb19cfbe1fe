import { Schema, type Collection, type Connection } from 'mongoose';
import { modelFor, onceReady, type ModelHandle } from '../store/model-handle';

const processedSchema = new Schema(
  {
    consumer: { type: String, required: true },
    eventId: { type: String, required: true },
    processedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);
// has()/mark(): findOne({consumer, eventId}) and the upsert on the same key. Unique, so two
// deliveries racing to record the same event leave one marker. processedAt serves pruning jobs.
processedSchema.index({ consumer: 1, eventId: 1 }, { unique: true });

/** Which events a consumer (group) has fully handled: the de-duplication memory. */
export class ProcessedEvents {
  private readonly model: ModelHandle;
  readonly init: () => Promise<void>;

  constructor(connection: Connection, collection = 'processed_events') {
    this.model = modelFor(connection, `ProcessedEvents:${collection}`, processedSchema, collection);
    this.init = onceReady(this.model);
  }

  async has(consumer: string, eventId: string): Promise<boolean> {
    return (await this.collection.findOne({ consumer, eventId }, { projection: { _id: 1 } })) !== null;
  }

  /** Idempotent: recording the same event twice keeps one marker. */
  async mark(consumer: string, eventId: string, at: Date = new Date()): Promise<void> {
    await this.collection.updateOne({ consumer, eventId }, { $setOnInsert: { processedAt: at } }, { upsert: true });
  }

  private get collection(): Collection {
    return this.model.collection;
  }
}
