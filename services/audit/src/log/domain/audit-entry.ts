// One entry of a tenant's append-only, hash-chained audit log. Each entry commits to the one
// before through prevHash, so altering, removing or reordering entries breaks the chain.
import { hash } from 'node:crypto';
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

/** An entry with its times as the ISO 8601 texts the hash commits to (as an evidence bundle carries them). */
export type EntryText = Omit<AuditEntry, 'actor' | 'occurredAt' | 'recordedAt'> & {
  actor: { kind: string; id: string; role: string };
  occurredAt: string;
  recordedAt: string;
};

/** The text an entry's hash commits to: canonical JSON of every field except hash itself. */
export function entryBody(entry: Omit<AuditEntry, 'hash'>): string {
  return isWellFormed(entry) ? textBody(entry, entry.occurredAt.toISOString(), entry.recordedAt.toISOString()) : canonicalJson(entryFields(entry));
}

/**
 * The same body from an entry whose times are texts, taken verbatim: a time written any other way
 * than toISOString writes it is not the committed text. Fields must be strings and seq a safe
 * integer (parseBundle checks both).
 */
export function entryTextBody(entry: Omit<EntryText, 'hash'>): string {
  return textBody(entry, entry.occurredAt, entry.recordedAt);
}

/** Every field an entry's hash commits to, in the committed order, times as ISO texts. */
export function entryFields(entry: Omit<AuditEntry, 'hash'>) {
  return {
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
  };
}

const q = JSON.stringify;

// canonicalJson of entryFields written out for the one shape an entry has: keys already in code
// unit order, strings JSON-escaped, seq an integer. Several times faster, which is what lets a
// verifier check 100k entries a second; the unit tests hold it to canonicalJson byte for byte.
function textBody(e: Omit<EntryText, 'hash' | 'occurredAt' | 'recordedAt'>, occurredAt: string, recordedAt: string): string {
  return (
    `{"actor":{"id":${q(e.actor.id)},"kind":${q(e.actor.kind)},"role":${q(e.actor.role)}},"eventId":${q(e.eventId)},` +
    `"occurredAt":${q(occurredAt)},"payload":${q(e.payload)},"prevHash":${q(e.prevHash)},` +
    `"recordedAt":${q(recordedAt)},"seq":${e.seq === 0 ? 0 : e.seq},"service":${q(e.service)},` +
    `"subjectId":${q(e.subjectId)},"tenantId":${q(e.tenantId)},"type":${q(e.type)}}`
  );
}

/** Every field of the type it should have: anything else (a damaged record) takes the general path. */
function isWellFormed(e: Omit<AuditEntry, 'hash'>): boolean {
  const strings = [e.tenantId, e.eventId, e.service, e.type, e.subjectId, e.payload, e.prevHash, e.actor?.kind, e.actor?.id, e.actor?.role];
  return Number.isSafeInteger(e.seq) && strings.every((v) => typeof v === 'string') && e.occurredAt instanceof Date && e.recordedAt instanceof Date;
}

/** hash = SHA-256(prevHash || canonical(entry without hash)), lower-case hex. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return hash('sha256', entry.prevHash + entryBody(entry), 'hex');
}

/** The entry that follows `head` in the chain. */
export function appendEntry(head: ChainHead, draft: EntryDraft): AuditEntry {
  const unsealed = { ...draft, seq: head.seq + 1, prevHash: head.hash };
  return { ...unsealed, hash: entryHash(unsealed) };
}
