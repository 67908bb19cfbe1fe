import type { Connection, Model, mongo } from 'mongoose';
import { EMPTY_CHAIN, type ActorKindName, type AuditEntry, type ChainHead } from '../domain/audit-entry';
import type { AuditLogStore, InsertManyOutcome, InsertOutcome, TrailFilter } from '../application/ports';
import { auditEntrySchema } from './audit-entry.schema';
import { blockOf, readPage } from './block-pages';

/**
 * FerretDB v1 runs an ordered insertMany 100 documents at a time and, when one of those batches
 * fails on a duplicate, goes on with the NEXT batch: documents past the refused one go in, and a
 * chain would get entries linked to ones that were never written (a gap). So the log never sends
 * more than one such batch at a time: up to 100 entries per insertMany, the next only after it.
 */
const ORDERED_INSERT_CHUNK = 100;

/**
 * audit_entries; every query names its tenant (a real tenant id or the platform pseudo-tenant).
 * An entry's _id is its event id: the primary key refuses a second entry for an event without a
 * secondary index to maintain on every insert. (FerretDB v1 on SQLite answers even a lookup by
 * _id by scanning until it finds the document, a whole scan when it is missing: the ids of a
 * redelivered batch are therefore asked in ONE query, never one by one.)
 * Logs written before (ObjectId _ids, unique eventId index) are still read and deduplicated: on
 * such a log the event-id lookups also ask the eventId index.
 */
export class MongoAuditLog implements AuditLogStore {
  private readonly model: Model<unknown>;
  private legacyIds = false;
  /** Entries written before `blk` existed: pages are read by the sorted scan, as they were then. */
  private legacyBlocks = false;

  constructor(connection: Connection) {
    this.model = connection.models.AuditEntry ?? connection.model('AuditEntry', auditEntrySchema);
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
    const first = await this.collection.findOne({}, { projection: { _id: 1 } });
    this.legacyIds = first !== null && typeof first._id !== 'string';
    this.legacyBlocks = first !== null && (await this.collection.findOne({ blk: { $exists: false } }, { projection: { _id: 1 } })) !== null;
  }

  async head(tenant: string): Promise<ChainHead> {
    const last = await this.collection.find({ tenantId: tenant }, { projection: { seq: 1, hash: 1 } }).sort({ seq: -1 }).limit(1).next();
    return last ? { seq: Number(last.seq), hash: String(last.hash) } : EMPTY_CHAIN;
  }

  async insert(entry: AuditEntry): Promise<InsertOutcome> {
    try {
      await this.collection.insertOne(toDocument(entry));
      return 'inserted';
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // FerretDB does not say which unique index refused the insert: ask.
      return (await this.isLogged(entry.eventId)) ? 'duplicate_event' : 'seq_taken';
    }
  }

  async insertMany(entries: readonly AuditEntry[]): Promise<InsertManyOutcome> {
    for (let start = 0; start < entries.length; start += ORDERED_INSERT_CHUNK) {
      const chunk = entries.slice(start, start + ORDERED_INSERT_CHUNK);
      try {
        await this.collection.insertMany(chunk.map(toDocument), { ordered: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Ordered: everything before the first refused entry went in, nothing after it.
        const inserted = start + firstErrorIndex(error);
        const existing = await this.isLogged(entries[inserted]!.eventId);
        return { inserted, collision: existing ? 'duplicate_event' : 'seq_taken' };
      }
    }
    return { inserted: entries.length };
  }

  async loggedEventIds(eventIds: readonly string[]): Promise<Set<string>> {
    const logged = new Set<string>();
    if (eventIds.length === 0) return logged;
    const docs = await this.collection.find({ _id: { $in: [...eventIds] as unknown as mongo.ObjectId[] } }, { projection: { _id: 1 } }).toArray();
    for (const doc of docs) logged.add(String(doc._id));
    const unknown = eventIds.filter((id) => !logged.has(id));
    if (this.legacyIds && unknown.length > 0) {
      const docs = await this.collection.find({ eventId: { $in: unknown } }, { projection: { eventId: 1 } }).toArray();
      for (const doc of docs) logged.add(String(doc.eventId));
    }
    return logged;
  }

  private async isLogged(eventId: string): Promise<boolean> {
    if (await this.collection.findOne(byId(eventId), { projection: { _id: 1 } })) return true;
    return this.legacyIds && (await this.collection.findOne({ eventId }, { projection: { _id: 1 } })) !== null;
  }

  async tenants(): Promise<string[]> {
    return (await this.collection.distinct('tenantId')).map(String);
  }

  async hasEntriesOtherThan(tenant: string, afterSeq: number, type: string): Promise<boolean> {
    const found = await this.collection.findOne({ tenantId: tenant, seq: { $gt: afterSeq }, type: { $ne: type } }, { projection: { _id: 1 } });
    return found !== null;
  }

  async page(tenant: string, afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const scan = async (after: number, max: number) =>
      (await this.collection.find({ tenantId: tenant, seq: { $gt: after } }).sort({ seq: 1 }).limit(max).toArray()).map(toEntry);
    if (this.legacyBlocks) return scan(afterSeq, limit);
    return readPage({ block: async (blk) => (await this.collection.find({ tenantId: tenant, blk }).toArray()).map(toEntry), scan }, afterSeq, limit);
  }

  async query(tenant: string, filter: TrailFilter): Promise<AuditEntry[]> {
    const docs = await this.collection.find(trailFilter(tenant, filter)).sort({ seq: 1 }).limit(filter.limit).toArray();
    return docs.map(toEntry);
  }

  count(tenant: string, filter: Omit<TrailFilter, 'limit'>): Promise<number> {
    return this.collection.countDocuments(trailFilter(tenant, filter));
  }

  private get collection(): mongo.Collection {
    return this.model.collection as unknown as mongo.Collection;
  }
}

function trailFilter(tenant: string, filter: Omit<TrailFilter, 'limit'>): mongo.Filter<mongo.Document> {
  const query: mongo.Filter<mongo.Document> = { tenantId: tenant };
  if (filter.after) query.seq = { $gt: filter.after };
  if (filter.type) query.type = filter.type;
  if (filter.actor) query['actor.id'] = filter.actor;
  if (filter.subject) query.subjectId = filter.subject;
  if (filter.from || filter.to) {
    query.occurredAt = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
  }
  return query;
}

function byId(eventId: string): mongo.Filter<mongo.Document> {
  return { _id: eventId as unknown as mongo.ObjectId };
}

function toDocument(entry: AuditEntry): mongo.Document {
  return { _id: entry.eventId, ...entry, actor: { ...entry.actor }, blk: blockOf(entry.seq) };
}

function toEntry(doc: mongo.Document): AuditEntry {
  const actor = (doc.actor ?? {}) as { kind?: string; id?: string; role?: string };
  return {
    tenantId: String(doc.tenantId),
    seq: Number(doc.seq),
    eventId: String(doc.eventId),
    service: String(doc.service),
    type: String(doc.type),
    actor: { kind: (actor.kind ?? 'unspecified') as ActorKindName, id: actor.id ?? '', role: actor.role ?? '' },
    subjectId: String(doc.subjectId ?? ''),
    occurredAt: new Date(doc.occurredAt as Date),
    recordedAt: new Date(doc.recordedAt as Date),
    payload: String(doc.payload),
    prevHash: String(doc.prevHash),
    hash: String(doc.hash),
  };
}

function firstErrorIndex(error: unknown): number {
  const writeErrors = (error as { writeErrors?: Array<{ index?: number; err?: { index?: number } }> }).writeErrors;
  const indexes = (writeErrors ?? []).map((w) => w.index ?? w.err?.index).filter((i): i is number => typeof i === 'number');
  // A single-document error without writeErrors (insertOne-like answer): nothing of the chunk went in.
  return indexes.length > 0 ? Math.min(...indexes) : 0;
}

function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: unknown; writeErrors?: Array<{ code?: unknown }> } | null;
  return !!e && (e.code === 11000 || e.writeErrors?.[0]?.code === 11000);
}
