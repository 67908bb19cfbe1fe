// The root of a tree of `size` leaves from the leaves of one range [from, to) plus the stored
// perfect subtrees outside it: O(to − from + log size) hashing, never every leaf. If the range's
// entries changed since the tree was built, this root differs from the checkpoint's.
import { foldSubtrees, perfectSubtrees, type SubtreeAddress } from './frontier';
import { hashChildren } from './merkle-hash';
import { merkleRoot, splitPoint } from './merkle-tree';

function checkRange(size: number, from: number, to: number): void {
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && Number.isSafeInteger(size) && 0 <= from && from < to && to <= size)) {
    throw new RangeError(`no range [${from}, ${to}) in a tree of ${size}`);
  }
}

/** The perfect subtrees outside [from, to) that MTH(D[0:size]) is made of. */
export function outsideSubtrees(size: number, from: number, to: number): SubtreeAddress[] {
  checkRange(size, from, to);
  const out: SubtreeAddress[] = [];
  const walk = (start: number, end: number): void => {
    if (end <= from || start >= to) {
      out.push(...perfectSubtrees(start, end));
      return;
    }
    if (start >= from && end <= to) return;
    const k = splitPoint(end - start);
    walk(start, start + k);
    walk(start + k, end);
  };
  walk(0, size);
  return out;
}

/** MTH(D[0:size]) where leaves[i] is leaf from + i and `outside` answers outsideSubtrees(size, from, to). */
export function rootWithRange(size: number, from: number, leaves: readonly Buffer[], outside: (address: SubtreeAddress) => Buffer): Buffer {
  const to = from + leaves.length;
  checkRange(size, from, to);
  const walk = (start: number, end: number): Buffer => {
    if (end <= from || start >= to) return foldSubtrees(perfectSubtrees(start, end).map(outside));
    if (start >= from && end <= to) return merkleRoot(leaves.slice(start - from, end - from));
    const k = splitPoint(end - start);
    return hashChildren(walk(start, start + k), walk(start + k, end));
  };
  return walk(0, size);
}
