// Builds hash chains, Merkle roots and signed checkpoints in memory for fast tests (no tests here).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { appendEntry, EMPTY_CHAIN, entryHash, type AuditEntry, type EntryDraft } from '../log/domain/audit-entry';
import { entryLeaf, toHex } from '../merkle/domain/merkle-hash';
import { merkleRoot } from '../merkle/domain/merkle-tree';
import { keyIdOfSpki, signCheckpoint, type Checkpoint } from '../checkpoints/domain/checkpoint';

export function draftOf(tenantId: string, i: number, overrides: Partial<EntryDraft> = {}): EntryDraft {
  return {
    tenantId,
    eventId: `${tenantId}-e${i}`,
    service: 'chat-gateway',
    type: 'chat-gateway.UsageRecorded',
    actor: { kind: 'service', id: 'chat-gateway', role: '' },
    subjectId: `sub-${i % 7}`,
    occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 0, i)),
    recordedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 1, i)),
    payload: `{"usageRecorded":{"promptTokens":${i}}}`,
    ...overrides,
  };
}

export function chainOf(tenantId: string, length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let head = EMPTY_CHAIN;
  for (let i = 1; i <= length; i += 1) {
    const entry = appendEntry(head, draftOf(tenantId, i));
    entries.push(entry);
    head = entry;
  }
  return entries;
}

/** The entry with `change` applied and its hash recomputed: a forgery the entry's own hash cannot reveal. */
export function resealed(entry: AuditEntry, change: Partial<AuditEntry>): AuditEntry {
  const changed = { ...entry, ...change };
  return { ...changed, hash: entryHash(changed) };
}

/** Rewrites entries from index `from` on with recomputed hashes and links: the chain still verifies. */
export function rewriteFrom(entries: AuditEntry[], from: number, change: Partial<AuditEntry>): AuditEntry[] {
  const out = entries.slice(0, from);
  let head = from === 0 ? EMPTY_CHAIN : { seq: entries[from - 1]!.seq, hash: entries[from - 1]!.hash };
  for (const [i, entry] of entries.slice(from).entries()) {
    const { hash: _old, ...rest } = { ...entry, ...(i === 0 ? change : {}), prevHash: head.hash };
    const next = { ...rest, hash: entryHash(rest) };
    out.push(next);
    head = next;
  }
  return out;
}

export interface TestSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  spki: string;
}

export function testSigningKey(): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey, keyId: keyIdOfSpki(der), spki: der.toString('base64') };
}

export function rootOf(entries: readonly AuditEntry[], size = entries.length): string {
  return toHex(merkleRoot(entries.slice(0, size).map((e) => entryLeaf(e.hash))));
}

export function checkpointAt(entries: readonly AuditEntry[], size: number, key: TestSigningKey, issuedAtMs = 1_740_000_000_000 + size): Checkpoint {
  return signCheckpoint({ tenantId: entries[0]!.tenantId, treeSize: size, rootHash: rootOf(entries, size), issuedAt: new Date(issuedAtMs) }, key.privateKey, key.keyId);
}
