import type { Connection, mongo } from 'mongoose';
import type { LedgerEntry, UsageLedger } from '../application/ports';

const DUPLICATE_KEY = 11000;

/**
 * usage_ledger: one document per UsageRecorded, _id = event id, written once (insertMany,
 * unordered) and never updated: the unique _id is what bills an event once. It is read only when
 * a batch meets events it holds already (a redelivery: one query for all of them; FerretDB v1 on
 * SQLite scans even for an _id) and by the rare privacy deletions (see MongoUsageDetail).
 */
export class MongoUsageLedger implements UsageLedger {
  constructor(private readonly connection: Connection) {}

  async init(): Promise<void> {
    await this.connection.createCollection('usage_ledger').catch((error: { codeName?: string }) => {
      if (error?.codeName !== 'NamespaceExists') throw error;
    });
  }

  async insertNew(entries: readonly LedgerEntry[]): Promise<Set<string>> {
    const already = new Set<string>();
    if (entries.length === 0) return already;
    try {
      await this.collection.insertMany(entries.map(toDocument), { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: Array<{ code?: number; index?: number; err?: { code?: number; index?: number } }> }).writeErrors;
      if (!Array.isArray(writeErrors) || writeErrors.length === 0) throw error;
      for (const w of writeErrors) {
        const code = w.code ?? w.err?.code;
        const index = w.index ?? w.err?.index;
        if (code !== DUPLICATE_KEY || index === undefined) throw error;
        already.add(entries[index]!.eventId);
      }
    }
    return already;
  }

  async placesOf(eventIds: readonly string[]): Promise<Map<string, string>> {
    const places = new Map<string, string>();
    if (eventIds.length === 0) return places;
    // One query for all: FerretDB v1 answers even an _id lookup by scanning (see the class comment).
    const docs = await this.collection.find({ _id: { $in: [...eventIds] as unknown as mongo.ObjectId[] } }, { projection: { at: 1 } }).toArray();
    for (const doc of docs) places.set(String(doc._id), String(doc.at));
    return places;
  }

  private get collection(): mongo.Collection {
    return this.connection.collection('usage_ledger') as unknown as mongo.Collection;
  }
}

function toDocument(e: LedgerEntry): mongo.Document {
  return {
    _id: e.eventId,
    tenantId: e.tenantId,
    requestId: e.requestId,
    outcome: e.outcome,
    occurredAt: e.occurredAt,
    month: e.month,
    day: e.day,
    memberSubjectId: e.memberSubjectId,
    model: e.model,
    promptTokens: e.promptTokens,
    completionTokens: e.completionTokens,
    at: `${e.partition}:${e.offset}`,
  };
}
