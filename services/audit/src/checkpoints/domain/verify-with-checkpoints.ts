// Verifies a tenant's whole log in one streaming pass: the hash chain entry by entry, and at
// every signed checkpoint its signature and that the entries so far hash to its Merkle root. The
// chain alone cannot see entries rewritten with recomputed hashes from some point on, nor a cut
// tail; the checkpoints can. Memory stays O(log n): a Frontier, not the leaves.
import type { KeyObject } from 'node:crypto';
import { EMPTY_CHAIN, type AuditEntry, type ChainHead } from '../../log/domain/audit-entry';
import { chainProblem, type BreakReason } from '../../log/domain/verify-chain';
import { Frontier } from '../../merkle/domain/frontier';
import { entryLeaf, toHex } from '../../merkle/domain/merkle-hash';
import { verifyCheckpointSignature, type Checkpoint } from './checkpoint';

export interface BrokenEntry {
  seq: number;
  /** Empty when the entry is gone (removed). */
  eventId: string;
  reason: BreakReason;
}

export interface CheckpointSummary {
  treeSize: number;
  rootHash: string;
  issuedAt: Date;
}

export type LogVerification =
  | { intact: true; entriesChecked: number; checkpointsChecked: number; latestCheckpoint: CheckpointSummary | null }
  | {
      intact: false;
      entriesChecked: number;
      checkpointsChecked: number;
      latestCheckpoint: CheckpointSummary | null;
      firstBroken: BrokenEntry;
      /** root_mismatch: the entries that may have changed (after the last checkpoint that held) and the checkpoint they fail. */
      suspect?: { fromSeq: number; toSeq: number; checkpoint: Checkpoint };
    };

export interface VerificationKey {
  publicKey: KeyObject;
  keyId: string;
}

export const summarize = (c: Checkpoint): CheckpointSummary => ({ treeSize: c.treeSize, rootHash: c.rootHash, issuedAt: c.issuedAt });

/** `checkpoints` in ascending treeSize order. */
export async function verifyWithCheckpoints(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
  checkpoints: AsyncIterator<Checkpoint> | Iterator<Checkpoint>,
  key: VerificationKey,
): Promise<LogVerification> {
  let head: ChainHead = EMPTY_CHAIN;
  let entriesChecked = 0;
  let checkpointsChecked = 0;
  let latest: Checkpoint | undefined;
  const frontier = Frontier.empty();
  const nextCheckpoint = async () => {
    const r = await checkpoints.next();
    return r.done ? undefined : r.value;
  };
  let pending = await nextCheckpoint();
  const broken = (firstBroken: BrokenEntry, suspect?: { fromSeq: number; toSeq: number; checkpoint: Checkpoint }): LogVerification => ({
    intact: false,
    entriesChecked,
    checkpointsChecked,
    latestCheckpoint: latest ? summarize(latest) : null,
    firstBroken,
    ...(suspect && { suspect }),
  });

  for await (const entry of entries) {
    entriesChecked += 1;
    const problem = chainProblem(head, entry);
    if (problem) return broken({ seq: entry.seq, eventId: entry.eventId, reason: problem });
    frontier.append(entryLeaf(entry.hash));
    head = { seq: entry.seq, hash: entry.hash };
    // Checkpoints of a size already passed cannot occur (sizes grow by one); ones at this size are checked now.
    while (pending && pending.treeSize <= frontier.size) {
      if (!verifyCheckpointSignature(pending, key.publicKey, key.keyId)) return broken({ seq: entry.seq, eventId: entry.eventId, reason: 'bad_signature' });
      if (pending.treeSize !== frontier.size || toHex(frontier.root()) !== pending.rootHash) {
        const fromSeq = (latest?.treeSize ?? 0) + 1;
        return broken({ seq: entry.seq, eventId: entry.eventId, reason: 'root_mismatch' }, { fromSeq, toSeq: pending.treeSize, checkpoint: pending });
      }
      checkpointsChecked += 1;
      latest = pending;
      pending = await nextCheckpoint();
    }
  }
  // A genuine checkpoint counted more entries than the log now holds: the tail was removed.
  if (pending && verifyCheckpointSignature(pending, key.publicKey, key.keyId)) {
    return broken({ seq: head.seq + 1, eventId: '', reason: 'removed' });
  }
  if (pending) return broken({ seq: Math.min(pending.treeSize, head.seq + 1), eventId: '', reason: 'bad_signature' });
  return { intact: true, entriesChecked, checkpointsChecked, latestCheckpoint: latest ? summarize(latest) : null };
}
