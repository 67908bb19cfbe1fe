// An in-memory AuditLogStore with the same unique rules as audit_entries, for fast tests of the
// application layer (no tests here).
import type { AuditEntry, ChainHead } from '../domain/audit-entry';
import { EMPTY_CHAIN } from '../domain/audit-entry';
import type { AuditLogStore, InsertManyOutcome, InsertOutcome, TrailFilter } from './ports';

export class InMemoryAuditLog implements AuditLogStore {
  readonly entries: AuditEntry[] = [];

  async head(tenant: string): Promise<ChainHead> {
    const last = this.chain(tenant).at(-1);
    return last ? { seq: last.seq, hash: last.hash } : EMPTY_CHAIN;
  }

  async insert(entry: AuditEntry): Promise<InsertOutcome> {
    await Promise.resolve();
    if (this.entries.some((e) => e.eventId === entry.eventId)) return 'duplicate_event';
    if (this.entries.some((e) => e.tenantId === entry.tenantId && e.seq === entry.seq)) return 'seq_taken';
    this.entries.push(entry);
    return 'inserted';
  }

  async insertMany(entries: readonly AuditEntry[]): Promise<InsertManyOutcome> {
    let inserted = 0;
    for (const entry of entries) {
      const outcome = await this.insert(entry);
      if (outcome !== 'inserted') return { inserted, collision: outcome };
      inserted += 1;
    }
    return { inserted };
  }

  async loggedEventIds(eventIds: readonly string[]): Promise<Set<string>> {
    return new Set(this.entries.filter((e) => eventIds.includes(e.eventId)).map((e) => e.eventId));
  }

  async tenants(): Promise<string[]> {
    return [...new Set(this.entries.map((e) => e.tenantId))];
  }

  async hasEntriesOtherThan(tenant: string, afterSeq: number, type: string): Promise<boolean> {
    return this.chain(tenant).some((e) => e.seq > afterSeq && e.type !== type);
  }

  async page(tenant: string, afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return this.chain(tenant).filter((e) => e.seq > afterSeq).slice(0, limit);
  }

  async query(tenant: string, filter: TrailFilter): Promise<AuditEntry[]> {
    return this.matching(tenant, filter).slice(0, filter.limit);
  }

  async count(tenant: string, filter: Omit<TrailFilter, 'limit'>): Promise<number> {
    return this.matching(tenant, filter).length;
  }

  private matching(tenant: string, filter: Omit<TrailFilter, 'limit'>): AuditEntry[] {
    return this.chain(tenant)
      .filter((e) => e.seq > (filter.after ?? 0))
      .filter((e) => !filter.type || e.type === filter.type)
      .filter((e) => !filter.actor || e.actor.id === filter.actor)
      .filter((e) => !filter.subject || e.subjectId === filter.subject)
      .filter((e) => !filter.from || e.occurredAt >= filter.from)
      .filter((e) => !filter.to || e.occurredAt < filter.to);
  }

  chain(tenant: string): AuditEntry[] {
    return this.entries.filter((e) => e.tenantId === tenant).sort((a, b) => a.seq - b.seq);
  }
}
