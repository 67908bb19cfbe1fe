// Verifies one tenant's chain from its first entry, streaming: entries arrive in seq order
// from any (async) iterator, so a repository can feed it page by page and memory stays flat.
import { EMPTY_CHAIN, entryHash, type AuditEntry } from './audit-entry';

/**
 * Why an entry is not what the log committed to. The chain alone finds the first three; signed
 * checkpoints add the rest: removed (entries a checkpoint counted are gone, e.g. the tail cut
 * off), root_mismatch (the entries no longer hash to a checkpoint's Merkle root: rewritten with
 * recomputed hashes), bad_signature (a checkpoint not signed by the log's key), reordered (seen
 * by the offline verifier, where the order of a bundle's entries is evidence too).
 */
export type BreakReason =
  | 'hash_mismatch'
  | 'chain_broken'
  | 'sequence_gap'
  | 'removed'
  | 'reordered'
  | 'root_mismatch'
  | 'bad_signature';

export type VerifyResult =
  | { intact: true; entriesChecked: number }
  | { intact: false; entriesChecked: number; firstBroken: { seq: number; eventId: string; reason: BreakReason } };

/**
 * Checks, for each entry in order: seq is the previous seq + 1 (else sequence_gap), prevHash is
 * the previous entry's hash (else chain_broken: entries removed and renumbered, or reordered),
 * and the stored hash is the recomputed one (else hash_mismatch: the entry itself was altered).
 * entriesChecked counts the entries examined, including the broken one.
 */
export async function verifyChain(entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>): Promise<VerifyResult> {
  let head = EMPTY_CHAIN;
  let checked = 0;
  for await (const entry of entries) {
    checked += 1;
    const reason = chainProblem(head, entry);
    if (reason) {
      return { intact: false, entriesChecked: checked, firstBroken: { seq: entry.seq, eventId: entry.eventId, reason } };
    }
    head = { seq: entry.seq, hash: entry.hash };
  }
  return { intact: true, entriesChecked: checked };
}

/** What is wrong with `entry` as the successor of `head`, if anything (checks in the order above). */
export function chainProblem(head: { seq: number; hash: string }, entry: AuditEntry): 'sequence_gap' | 'chain_broken' | 'hash_mismatch' | undefined {
  if (entry.seq !== head.seq + 1) return 'sequence_gap';
  if (entry.prevHash !== head.hash) return 'chain_broken';
  if (entryHash(entry) !== entry.hash) return 'hash_mismatch';
  return undefined;
}
