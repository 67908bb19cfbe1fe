import type { Connection, Model, mongo } from 'mongoose';
import { EMPTY_CHAIN, type ActorKindName, type AuditEntry, type ChainHead } from '../domain/audit-entry';
import type { AuditLogStore, InsertManyOutcome, InsertOutcome, TrailFilter } from '../application/ports';
import { auditEntrySchema } from './audit-entry.schema';

/** audit_entries; every query names its tenant (a real tenant id or the platform pseudo-tenant). */
export class MongoAuditLog implements AuditLogStore {
  private readonly model: Model<unknown>;

  constructor(connection: Connection) {
    this.model = connection.models.AuditEntry ?? connection.model('AuditEntry', auditEntrySchema);
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async head(tenant: string): Promise<ChainHead> {
    const last = await this.collection.find({ tenantId: tenant }, { projection: { seq: 1, hash: 1 } }).sort({ seq: -1 }).limit(1).next();
    return last ? { seq: Number(last.seq), hash: String(last.hash) } : EMPTY_CHAIN;
  }

  async insert(entry: AuditEntry): Promise<InsertOutcome> {
    try {
      await this.collection.insertOne({ ...entry, actor: { ...entry.actor } });
      return 'inserted';
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // FerretDB does not say which unique index refused the insert: ask.
      const existing = await this.collection.findOne({ eventId: entry.eventId }, { projection: { _id: 1 } });
      return existing ? 'duplicate_event' : 'seq_taken';
    }
  }

  async insertMany(entries: readonly AuditEntry[]): Promise<InsertManyOutcome> {
    if (entries.length === 0) return { inserted: 0 };
    try {
      await this.collection.insertMany(
        entries.map((entry) => ({ ...entry, actor: { ...entry.actor } })),
        { ordered: true },
      );
      return { inserted: entries.length };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const inserted = Number((error as { insertedCount?: unknown }).insertedCount ?? 0);
      const refused = entries[inserted];
      const existing = refused && (await this.collection.findOne({ eventId: refused.eventId }, { projection: { _id: 1 } }));
      return { inserted, collision: existing ? 'duplicate_event' : 'seq_taken' };
    }
  }

  async loggedEventIds(eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const docs = await this.collection.find({ eventId: { $in: [...eventIds] } }, { projection: { eventId: 1 } }).toArray();
    return new Set(docs.map((d) => String(d.eventId)));
  }

  async tenants(): Promise<string[]> {
    return (await this.collection.distinct('tenantId')).map(String);
  }

  async hasEntriesOtherThan(tenant: string, afterSeq: number, type: string): Promise<boolean> {
    const found = await this.collection.findOne({ tenantId: tenant, seq: { $gt: afterSeq }, type: { $ne: type } }, { projection: { _id: 1 } });
    return found !== null;
  }

  async page(tenant: string, afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const docs = await this.collection.find({ tenantId: tenant, seq: { $gt: afterSeq } }).sort({ seq: 1 }).limit(limit).toArray();
    return docs.map(toEntry);
  }

  async query(tenant: string, filter: TrailFilter): Promise<AuditEntry[]> {
    const query: mongo.Filter<mongo.Document> = { tenantId: tenant, seq: { $gt: filter.after ?? 0 } };
    if (filter.type) query.type = filter.type;
    if (filter.actor) query['actor.id'] = filter.actor;
    if (filter.subject) query.subjectId = filter.subject;
    if (filter.from || filter.to) {
      query.occurredAt = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
    }
    const docs = await this.collection.find(query).sort({ seq: 1 }).limit(filter.limit).toArray();
    return docs.map(toEntry);
  }

  private get collection(): mongo.Collection {
    return this.model.collection as unknown as mongo.Collection;
  }
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

function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: unknown; writeErrors?: Array<{ code?: unknown }> } | null;
  return !!e && (e.code === 11000 || e.writeErrors?.[0]?.code === 11000);
}
