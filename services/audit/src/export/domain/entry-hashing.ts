// The CPU-heavy part of checking a bundle's entries, behind one interface: each entry's own hash,
// its inclusion proof against the anchor, and the Merkle roots recomputed from the leaves. The
// reference computes it inline as the checks ask; the parallel verifier computes the same
// answers ahead, over ranges, in worker threads (hash-range.ts).
import { hash } from 'node:crypto';
import { entryTextBody } from '../../log/domain/audit-entry';
import { Frontier } from '../../merkle/domain/frontier';
import { fromHex, hashLeaf, isHexHash, toHex } from '../../merkle/domain/merkle-hash';
import { verifyInclusion } from '../../merkle/domain/verify-proofs';
import type { BundleCheckpoint, BundleEntry, EvidenceBundle } from './bundle';

/** What the entry checks need to know about the bundle's anchor (its last checkpoint). */
export interface EntryPlan {
  anchor: BundleCheckpoint;
  /** The range starts at seq 1: the checkpoints' roots are recomputed from the entries. */
  recompute: boolean;
  /** Each entry needs an inclusion proof against the anchor. */
  needInclusion: boolean;
  /** Inclusion proof paths by seq (the last one given for a seq wins). */
  proofs: Map<number, string[]>;
  checkpointAt: Map<number, BundleCheckpoint>;
}

/** Answers for entries[i]; the checks ask in order of i, each question at most once per entry. */
export interface EntryHashing {
  /** entries[i] hashes (prevHash || canonical body) to its recorded hash. */
  hashMatches(i: number): boolean;
  /** entries[i]'s proof (by its seq) includes its leaf in the anchor's tree; asked after hashMatches(i) held. */
  included(i: number): boolean;
  /** Hex Merkle root of entries[0..i]; asked after hashMatches(i) held, when recomputing. */
  rootHex(i: number): string;
}

/** Only once the anchor's root is known to be hex (the checkpoint checks see to it). */
export function planEntries(bundle: EvidenceBundle, anchor: BundleCheckpoint): EntryPlan {
  return {
    anchor,
    recompute: bundle.fromSeq === 1,
    needInclusion: bundle.fromSeq > 1 || anchor.treeSize > bundle.toSeq,
    proofs: new Map(bundle.proofs.inclusion.map((p) => [p.seq, p.path])),
    checkpointAt: new Map(bundle.checkpoints.map((c) => [c.treeSize, c])),
  };
}

/** hex SHA-256(prevHash || canonical body): the hex string straight from the hasher is cheaper than a Buffer turned into hex. */
export function entryDigestHex(e: Omit<BundleEntry, 'hash'>): string {
  return hash('sha256', e.prevHash + entryTextBody(e), 'hex');
}

/** The reference: each answer computed when asked. */
export function inlineHashing(entries: readonly BundleEntry[], plan: EntryPlan): EntryHashing {
  const { anchor, recompute, needInclusion, proofs } = plan;
  const anchorRoot = needInclusion ? fromHex(anchor.rootHash) : Buffer.alloc(0);
  const frontier = Frontier.empty();
  let leaf: Buffer = Buffer.alloc(0);
  return {
    hashMatches(i) {
      const e = entries[i]!;
      const hex = entryDigestHex(e);
      if (hex !== e.hash) return false;
      leaf = hashLeaf(Buffer.from(hex, 'hex'));
      if (recompute) frontier.append(leaf);
      return true;
    },
    included(i) {
      const e = entries[i]!;
      const path = proofs.get(e.seq);
      return path !== undefined && path.every(isHexHash) && verifyInclusion(e.seq - 1, anchor.treeSize, leaf, path.map(fromHex), anchorRoot);
    },
    rootHex() {
      return toHex(frontier.root());
    },
  };
}
