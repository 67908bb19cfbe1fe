// Does the incremental frontier give the same root as the full tree at every size, report every perfect subtree it completes, restore from stored roots, and do stored subtrees answer every proof range?
import { hashLeaf } from './merkle-hash';
import { consistencyRanges, inclusionRanges, leafArrayHasher, merkleRoot } from './merkle-tree';
import { foldSubtrees, Frontier, FrontierError, perfectSubtrees, type Subtree } from './frontier';

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => hashLeaf(Buffer.from(`leaf-${i}`)));

describe('Frontier', () => {
  it('has the full-tree root after every append, 0..70 leaves', () => {
    const leaves = leavesOf(70);
    const frontier = Frontier.empty();
    expect(frontier.root()).toEqual(merkleRoot([]));
    leaves.forEach((leaf, i) => {
      frontier.append(leaf);
      expect(frontier.size).toBe(i + 1);
      expect(frontier.root()).toEqual(merkleRoot(leaves.slice(0, i + 1)));
    });
  });

  it('keeps one root per set bit of the size, largest first', () => {
    const frontier = Frontier.empty();
    leavesOf(13).forEach((leaf) => frontier.append(leaf));
    expect(frontier.subtrees.map(({ level, index }) => ({ level, index }))).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
  });

  it('reports each completed perfect subtree once, with the hash of exactly its leaves', () => {
    const leaves = leavesOf(37);
    const completed: Subtree[] = [];
    const frontier = Frontier.empty();
    leaves.forEach((leaf) => frontier.append(leaf, (s) => completed.push(s)));
    // 37 leaves + 18 + 9 + 4 + 2 + 1 completed subtrees above them.
    expect(completed).toHaveLength(37 + 18 + 9 + 4 + 2 + 1);
    for (const s of completed) {
      const start = s.index * 2 ** s.level;
      expect(s.hash).toEqual(merkleRoot(leaves.slice(start, start + 2 ** s.level)));
    }
  });

  it('restores from stored subtree roots and continues to the same root', () => {
    const leaves = leavesOf(45);
    const first = Frontier.empty();
    leaves.slice(0, 22).forEach((leaf) => first.append(leaf));
    const restored = Frontier.restore(22, first.subtrees);
    leaves.slice(22).forEach((leaf) => restored.append(leaf));
    expect(restored.root()).toEqual(merkleRoot(leaves));
  });

  it('refuses to restore from roots that do not decompose the size', () => {
    const frontier = Frontier.empty();
    leavesOf(6).forEach((leaf) => frontier.append(leaf));
    expect(() => Frontier.restore(7, frontier.subtrees)).toThrow(FrontierError);
    expect(() => Frontier.restore(6, frontier.subtrees.slice(1))).toThrow(FrontierError);
  });
});

describe('perfectSubtrees', () => {
  it('decomposes a range into aligned perfect subtrees', () => {
    expect(perfectSubtrees(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(perfectSubtrees(8, 11)).toEqual([
      { level: 1, index: 4 },
      { level: 0, index: 10 },
    ]);
    expect(perfectSubtrees(5, 5)).toEqual([]);
  });

  it('answers every range of every inclusion and consistency proof up to 40 leaves from perfect subtrees alone', () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = leavesOf(n);
      const mth = leafArrayHasher(leaves);
      const fromSubtrees = (start: number, end: number) =>
        foldSubtrees(perfectSubtrees(start, end).map(({ level, index }) => merkleRoot(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level))));
      const ranges = [
        ...Array.from({ length: n }, (_, i) => inclusionRanges(i, n)).flat(),
        ...Array.from({ length: n }, (_, m) => consistencyRanges(m + 1, n)).flat(),
      ];
      for (const [start, end] of ranges) expect(fromSubtrees(start, end)).toEqual(mth(start, end));
    }
  });
});
