// One entry of a tenant's append-only, hash-chained audit log. Each entry commits to the one
// before through prevHash, so altering, removing or reordering entries breaks the chain.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** prevHash of a tenant's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Tenant id under which events that belong to no tenant are logged. */
export const PLATFORM_TENANT = '_platform';

export type ActorKindName = 'unspecified' | 'person' | 'service' | 'system';

export interface ActorRef {
  kind: ActorKindName;
  /** Pseudonymous subject id of a person, or a service name; empty for the system. */
  id: string;
  role: string;
}

/** What an event contributes to the log; chain position and hashes are added by appendEntry. */
export interface EntryDraft {
  tenantId: string;
  eventId: string;
  /** The service that owns the topic the event came from. */
  service: string;
  type: string;
  actor: ActorRef;
  subjectId: string;
  occurredAt: Date;
  recordedAt: Date;
  /** Canonical JSON of the decoded event payload. */
  payload: string;
}

export interface AuditEntry extends EntryDraft {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The last entry of a tenant's chain, or the genesis position when the chain is empty. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const EMPTY_CHAIN: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** The text an entry's hash commits to: canonical JSON of every field except hash itself. */
export function entryBody(entry: Omit<AuditEntry, 'hash'>): string {
  return canonicalJson({
    tenantId: entry.tenantId,
    seq: entry.seq,
    eventId: entry.eventId,
    service: entry.service,
    type: entry.type,
    actor: { kind: entry.actor.kind, id: entry.actor.id, role: entry.actor.role },
    subjectId: entry.subjectId,
    occurredAt: entry.occurredAt.toISOString(),
    recordedAt: entry.recordedAt.toISOString(),
    payload: entry.payload,
    prevHash: entry.prevHash,
  });
}

/** hash = SHA-256(prevHash || canonical(entry without hash)), lower-case hex. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(entry.prevHash, 'utf8').update(entryBody(entry), 'utf8').digest('hex');
}

/** The entry that follows `head` in the chain. */
export function appendEntry(head: ChainHead, draft: EntryDraft): AuditEntry {
  const unsealed = { ...draft, seq: head.seq + 1, prevHash: head.hash };
  return { ...unsealed, hash: entryHash(unsealed) };
}
