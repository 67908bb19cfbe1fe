import type { AuditEntry, ChainHead } from '../domain/audit-entry';

export interface TrailFilter {
  type?: string;
  /** Actor id: a pseudonymous subject id or a service name. */
  actor?: string;
  subject?: string;
  /** occurredAt ≥ from */
  from?: Date;
  /** occurredAt < to */
  to?: Date;
  /** Only entries with seq > after. */
  after?: number;
  limit: number;
}

/** Outcome of inserting an entry that collided with the unique indexes. */
export type InsertOutcome = 'inserted' | 'duplicate_event' | 'seq_taken';

/** Outcome of inserting consecutive entries of one chain, in order: stops at the first collision. */
export type InsertManyOutcome = { inserted: number; collision?: Exclude<InsertOutcome, 'inserted'> };

/** The append-only `audit_entries` collection; every method names its (log) tenant. */
export interface AuditLogStore {
  head(tenant: string): Promise<ChainHead>;
  insert(entry: AuditEntry): Promise<InsertOutcome>;
  /** Entries (consecutive in each tenant's chain; several chains one after another), inserted in order until the first collision. */
  insertMany(entries: readonly AuditEntry[]): Promise<InsertManyOutcome>;
  /** Which of these event ids are logged already (any tenant: event ids are unique). */
  loggedEventIds(eventIds: readonly string[]): Promise<Set<string>>;
  /** Every tenant with a log. */
  tenants(): Promise<string[]>;
  /** Whether entries past `afterSeq` exist whose type is not `type`. */
  hasEntriesOtherThan(tenant: string, afterSeq: number, type: string): Promise<boolean>;
  /** One page of the chain in seq order, after `afterSeq`. */
  page(tenant: string, afterSeq: number, limit: number): Promise<AuditEntry[]>;
  query(tenant: string, filter: TrailFilter): Promise<AuditEntry[]>;
  /** How many entries match the filter (its limit ignored). */
  count(tenant: string, filter: Omit<TrailFilter, 'limit'>): Promise<number>;
}
