// What an evidence bundle must prove and how: pure planning and assembly. The service loads the
// entries, checkpoints and the stored subtrees that planProofRanges names, then assembles.
import type { AuditEntry } from '../../log/domain/audit-entry';
import type { Checkpoint } from '../../checkpoints/domain/checkpoint';
import { toHex } from '../../merkle/domain/merkle-hash';
import { consistencyProof, consistencyRanges, inclusionProof, inclusionRanges, type LeafRange, type SubtreeHasher } from '../../merkle/domain/merkle-tree';
import { BUNDLE_FORMAT, toBundleCheckpoint, toBundleEntry, type EvidenceBundle } from './bundle';

export interface BundlePlan {
  fromSeq: number;
  toSeq: number;
  /** The anchor: the latest checkpoint, whose tree covers toSeq. */
  anchorSize: number;
  /** Entries that need an inclusion proof against the anchor (all, unless the entries recompute its root). */
  inclusionSeqs: number[];
  /** Tree sizes of the other checkpoints that need a consistency proof to the anchor. */
  consistencySizes: number[];
}

/** `checkpointSizes`: ascending sizes of the checkpoints the bundle carries, the anchor last. */
export function planBundle(fromSeq: number, toSeq: number, checkpointSizes: readonly number[]): BundlePlan {
  const anchorSize = checkpointSizes.at(-1);
  if (anchorSize === undefined || anchorSize < toSeq || fromSeq < 1 || toSeq < fromSeq) {
    throw new RangeError(`no bundle of seq ${fromSeq}..${toSeq} with a checkpoint of size ${anchorSize ?? 'none'}`);
  }
  const entriesRecomputeAnchor = fromSeq === 1 && anchorSize === toSeq;
  const inclusionSeqs = entriesRecomputeAnchor ? [] : Array.from({ length: toSeq - fromSeq + 1 }, (_, i) => fromSeq + i);
  const consistencySizes = checkpointSizes.slice(0, -1).filter((size) => !(fromSeq === 1 && size <= toSeq));
  return { fromSeq, toSeq, anchorSize, inclusionSeqs, consistencySizes };
}

/** Every subtree range the plan's proofs consist of. */
export function planProofRanges(plan: BundlePlan): LeafRange[] {
  return [
    ...plan.inclusionSeqs.flatMap((seq) => inclusionRanges(seq - 1, plan.anchorSize)),
    ...plan.consistencySizes.flatMap((size) => consistencyRanges(size, plan.anchorSize)),
  ];
}

export interface BundleInput {
  tenantId: string;
  plan: BundlePlan;
  entries: readonly AuditEntry[];
  checkpoints: readonly Checkpoint[];
  subtree: SubtreeHasher;
  publicKey: { keyId: string; spki: string };
  exportedAt: Date;
}

export function assembleBundle(input: BundleInput): EvidenceBundle {
  const { plan, subtree } = input;
  return {
    format: BUNDLE_FORMAT,
    tenantId: input.tenantId,
    fromSeq: plan.fromSeq,
    toSeq: plan.toSeq,
    entries: input.entries.map(toBundleEntry),
    checkpoints: input.checkpoints.map(toBundleCheckpoint),
    proofs: {
      treeSize: plan.anchorSize,
      inclusion: plan.inclusionSeqs.map((seq) => ({ seq, path: inclusionProof(seq - 1, plan.anchorSize, subtree).map(toHex) })),
      consistency: plan.consistencySizes.map((treeSize) => ({ treeSize, path: consistencyProof(treeSize, plan.anchorSize, subtree).map(toHex) })),
    },
    publicKey: { algorithm: 'Ed25519', keyId: input.publicKey.keyId, spki: input.publicKey.spki },
    exportedAt: input.exportedAt.toISOString(),
  };
}
