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

/** The append-only `audit_entries` collection; every method names its (log) tenant. */
export interface AuditLogStore {
  head(tenant: string): Promise<ChainHead>;
  insert(entry: AuditEntry): Promise<InsertOutcome>;
  /** One page of the chain in seq order, after `afterSeq`. */
  page(tenant: string, afterSeq: number, limit: number): Promise<AuditEntry[]>;
  query(tenant: string, filter: TrailFilter): Promise<AuditEntry[]>;
}
