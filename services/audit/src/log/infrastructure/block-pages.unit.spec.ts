// Does a page read block by block give exactly what the sorted scan gives, on a whole log, at its
// end, across block boundaries and around holes, while reading only a few blocks?
import { BLOCK_SIZE, blockOf, readPage } from './block-pages';

function log(seqs: number[]) {
  const entries = seqs.map((seq) => ({ seq }));
  const calls = { blocks: 0, scans: 0 };
  const reader = {
    block: async (b: string) => {
      calls.blocks += 1;
      return entries.filter((e) => blockOf(e.seq) === b).reverse(); // any order
    },
    scan: async (after: number, limit: number) => {
      calls.scans += 1;
      return entries.filter((e) => e.seq > after).sort((a, b) => a.seq - b.seq).slice(0, limit);
    },
  };
  const truth = (after: number, limit: number) => entries.filter((e) => e.seq > after).sort((a, b) => a.seq - b.seq).slice(0, limit);
  return { reader, calls, truth };
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

it.each([
  [0, 10],
  [0, 5000],
  [995, 10],
  [998, 3],
  [2500, 2000],
  [3499, 100],
  [3500, 100],
  [4000, 10],
])('a whole log of 3,500 entries: page after %i, limit %i, equals the scan, without scanning', async (after, limit) => {
  const { reader, calls, truth } = log(range(1, 3500));
  expect(await readPage(reader, after, limit)).toEqual(truth(after, limit));
  expect(calls.scans).toBe(0);
  expect(calls.blocks).toBeLessThanOrEqual(Math.ceil(limit / BLOCK_SIZE) + 2);
});

it.each([
  ['a hole inside a block', range(1, 3500).filter((s) => s !== 1500)],
  ['a hole at a block boundary', range(1, 3500).filter((s) => s !== 2000 && s !== 1999)],
  ['a whole block missing', range(1, 3500).filter((s) => s < 1000 || s >= 2000)],
])('%s: pages equal the scan (the rest of the page falls back to it)', async (_name, seqs) => {
  const { reader, truth } = log(seqs);
  for (const [after, limit] of [[0, 5000], [1400, 300], [1990, 50], [900, 200]] as const) {
    expect(await readPage(reader, after, limit)).toEqual(truth(after, limit));
  }
});

it('an empty log: nothing, after two block reads', async () => {
  const { reader, calls } = log([]);
  expect(await readPage(reader, 0, 100)).toEqual([]);
  expect(calls).toEqual({ blocks: 2, scans: 0 });
});
