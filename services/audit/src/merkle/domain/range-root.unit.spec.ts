// Does the root computed from one range's leaves plus the stored subtrees outside it equal the full tree's root for every range of every small tree, and change when a leaf in the range does?
import { hashLeaf } from './merkle-hash';
import { merkleRoot } from './merkle-tree';
import type { SubtreeAddress } from './frontier';
import { outsideSubtrees, rootWithRange } from './range-root';

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => hashLeaf(Buffer.from(`leaf-${i}`)));

describe('rootWithRange', () => {
  it('equals the full root for every range of every tree of 1..24 leaves, asking only for subtrees outside the range', () => {
    for (let size = 1; size <= 24; size++) {
      const leaves = leavesOf(size);
      const root = merkleRoot(leaves);
      for (let from = 0; from < size; from++) {
        for (let to = from + 1; to <= size; to++) {
          const wanted = outsideSubtrees(size, from, to);
          const outside = (a: SubtreeAddress) => {
            const start = a.index * 2 ** a.level;
            const end = start + 2 ** a.level;
            expect(end <= from || start >= to).toBe(true);
            expect(wanted).toContainEqual(a);
            return merkleRoot(leaves.slice(start, end));
          };
          expect(rootWithRange(size, from, leaves.slice(from, to), outside)).toEqual(root);
        }
      }
    }
  });

  it('asks for O(log n) subtrees', () => {
    expect(outsideSubtrees(1_000_000, 400_000, 400_100).length).toBeLessThanOrEqual(2 * 20);
  });

  it('differs when a leaf inside the range changed', () => {
    const leaves = leavesOf(13);
    const outside = (a: SubtreeAddress) => merkleRoot(leaves.slice(a.index * 2 ** a.level, (a.index + 1) * 2 ** a.level));
    const range = leaves.slice(4, 9);
    range[2] = hashLeaf(Buffer.from('forged'));
    expect(rootWithRange(13, 4, range, outside)).not.toEqual(merkleRoot(leaves));
  });

  it('refuses an empty range or one past the tree', () => {
    expect(() => outsideSubtrees(10, 3, 3)).toThrow(RangeError);
    expect(() => outsideSubtrees(10, 3, 11)).toThrow(RangeError);
    expect(() => rootWithRange(4, 2, leavesOf(3), () => Buffer.alloc(32))).toThrow(RangeError);
  });
});
