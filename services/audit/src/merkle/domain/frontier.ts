// The compact "frontier" of a growing tree: the roots of the perfect subtrees its size
// decomposes into (size 13 = 8 + 4 + 1: three roots, largest first). Appending a leaf merges
// equal-sized roots like a binary counter, so the root of any size comes from O(log n) stored
// hashes, never from rereading every leaf. Every perfect subtree completed on the way is
// reported, so a store can keep the ones proofs will need.
import { EMPTY_ROOT, hashChildren } from './merkle-hash';

/** The perfect subtree at `level` (2^level leaves) and position `index`: leaves [index·2^level, (index+1)·2^level). */
export interface SubtreeAddress {
  level: number;
  index: number;
}

export interface Subtree extends SubtreeAddress {
  hash: Buffer;
}

/**
 * [start, end) as perfect subtrees, left to right, each as large as its alignment allows. For the
 * ranges of the RFC recursions (start aligned to the range's enclosing power of two) this is the
 * binary decomposition of the length, largest first, and MTH of the range is their right fold.
 */
export function perfectSubtrees(start: number, end: number): SubtreeAddress[] {
  const out: SubtreeAddress[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= end) level += 1;
    out.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return out;
}

/** Right fold: H(a, H(b, H(c, d))), the MTH of the range the subtrees decompose. */
export function foldSubtrees(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i -= 1) root = hashChildren(hashes[i]!, root);
  return root;
}

export class FrontierError extends Error {
  override readonly name = 'FrontierError';
}

export class Frontier {
  private constructor(
    private currentSize: number,
    private readonly roots: Subtree[],
  ) {}

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  /** Rebuilds from stored subtree roots; they must be exactly perfectSubtrees(0, size). */
  static restore(size: number, roots: readonly Subtree[]): Frontier {
    const expected = perfectSubtrees(0, size);
    const matches =
      expected.length === roots.length && expected.every((a, i) => a.level === roots[i]!.level && a.index === roots[i]!.index);
    if (!matches) throw new FrontierError(`the subtrees given do not decompose a tree of ${size} leaves`);
    return new Frontier(size, roots.map((r) => ({ ...r })));
  }

  get size(): number {
    return this.currentSize;
  }

  /** The frontier's subtree roots, largest first. */
  get subtrees(): readonly Subtree[] {
    return this.roots;
  }

  /** Appends a leaf hash; onComplete sees the leaf (level 0) and every subtree it completes. */
  append(leaf: Buffer, onComplete?: (subtree: Subtree) => void): void {
    let node: Subtree = { level: 0, index: this.currentSize, hash: leaf };
    onComplete?.(node);
    while (this.roots.length > 0 && this.roots[this.roots.length - 1]!.level === node.level) {
      const left = this.roots.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: hashChildren(left.hash, node.hash) };
      onComplete?.(node);
    }
    this.roots.push(node);
    this.currentSize += 1;
  }

  root(): Buffer {
    return foldSubtrees(this.roots.map((r) => r.hash));
  }
}
