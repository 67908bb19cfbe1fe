// The Merkle Tree Hash of RFC 6962 §2.1 / RFC 9162 §2.1.1 and its proofs. A tree of n leaves
// splits at k, the largest power of two below n: MTH(D[n]) = H(0x01 || MTH(D[0:k]) || MTH(D[k:n])),
// so a tree whose size is not a power of two is lopsided to the right, never padded.
//
// Proofs are computed as lists of ranges first (which subtrees a proof needs), then hashed by a
// SubtreeHasher: over an in-memory leaf array here, over stored subtrees in the service. The
// ranges are exactly those of the RFC's PATH and SUBPROOF recursions, in the RFC's order.
import { EMPTY_ROOT, hashChildren } from './merkle-hash';

/** Leaves [start, end) of the tree, 0-based. */
export type LeafRange = readonly [start: number, end: number];

/** MTH(D[start:end]); only called with ranges that occur in the RFC recursions. */
export type SubtreeHasher = (start: number, end: number) => Buffer;

/** k: the largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaf hashes (already hashLeaf'd). */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  return leaves.length === 0 ? EMPTY_ROOT : subtreeRoot(leaves, 0, leaves.length);
}

function subtreeRoot(leaves: readonly Buffer[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 1) return leaves[start]!;
  const k = splitPoint(n);
  return hashChildren(subtreeRoot(leaves, start, start + k), subtreeRoot(leaves, start + k, end));
}

/** A SubtreeHasher over an in-memory array of leaf hashes. */
export function leafArrayHasher(leaves: readonly Buffer[]): SubtreeHasher {
  return (start, end) => {
    if (start < 0 || end > leaves.length || start >= end) throw new RangeError(`no leaves [${start}, ${end}) in a tree of ${leaves.length}`);
    return subtreeRoot(leaves, start, end);
  };
}

/** The ranges of the audit path of leaf `index` in a tree of `size` (RFC 6962 PATH), leaf side first. */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!isCount(size) || size < 1 || !isCount(index) || index >= size) throw new RangeError(`no leaf ${index} in a tree of ${size}`);
  const out: LeafRange[] = [];
  path(index, 0, size, out);
  return out;
}

function path(m: number, start: number, end: number, out: LeafRange[]): void {
  const n = end - start;
  if (n <= 1) return;
  const k = splitPoint(n);
  if (m < k) {
    path(m, start, start + k, out);
    out.push([start + k, end]);
  } else {
    path(m - k, start + k, end, out);
    out.push([start, start + k]);
  }
}

/** The ranges of the proof that the tree of size m is a prefix of the tree of size n (RFC 6962 PROOF). */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  if (!isCount(m) || !isCount(n) || m < 1 || m > n) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const out: LeafRange[] = [];
  if (m < n) subproof(m, 0, n, true, out);
  return out;
}

function subproof(m: number, start: number, end: number, whole: boolean, out: LeafRange[]): void {
  const n = end - start;
  if (m === n) {
    if (!whole) out.push([start, end]);
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    subproof(m, start, start + k, whole, out);
    out.push([start + k, end]);
  } else {
    subproof(m - k, start + k, end, false, out);
    out.push([start, start + k]);
  }
}

export function inclusionProof(index: number, size: number, subtree: SubtreeHasher): Buffer[] {
  return inclusionRanges(index, size).map(([start, end]) => subtree(start, end));
}

export function consistencyProof(m: number, n: number, subtree: SubtreeHasher): Buffer[] {
  return consistencyRanges(m, n).map(([start, end]) => subtree(start, end));
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
