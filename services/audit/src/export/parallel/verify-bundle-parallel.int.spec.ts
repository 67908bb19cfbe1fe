// With real worker threads started from the built dist/ (run `npx tsc -b services/audit` first), does the parallel verifier give exactly the reference's report for an intact bundle and for an entry altered, removed or reordered at a boundary between workers, or a bad checkpoint signature — and fail, not hang, when its workers cannot start?
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { entryLeaf } from '../../merkle/domain/merkle-hash';
import { leafArrayHasher } from '../../merkle/domain/merkle-tree';
import { chainOf, checkpointAt, testSigningKey } from '../../test-support/chains.helper.spec';
import { assembleBundle, planBundle } from '../domain/assemble-bundle';
import type { EvidenceBundle } from '../domain/bundle';
import { verifyBundle } from '../domain/verify-bundle';
import { verifyBundleParallel } from './verify-bundle-parallel';
import { WorkerPool } from './worker-pool';

const WORKER = resolve(__dirname, '../../../dist/export/parallel/hash-range.worker.js');
const key = testSigningKey();
const N = 3000;
const log = chainOf('t-1', N);
const SIZES = [1024, 1500, 2048, N];
const hasher = leafArrayHasher(log.map((e) => entryLeaf(e.hash)));
const subtrees = new Map<string, Buffer>();
const leaves = (start: number, end: number) => subtrees.get(`${start}:${end}`) ?? subtrees.set(`${start}:${end}`, hasher(start, end)).get(`${start}:${end}`)!;
const built = new Map<string, EvidenceBundle>();

function bundleOf(fromSeq: number, toSeq: number): EvidenceBundle {
  const known = built.get(`${fromSeq}:${toSeq}`);
  if (known) return known;
  const carried = SIZES.filter((s, i) => i === SIZES.length - 1 || (s >= fromSeq && s <= toSeq));
  const bundle = assembleBundle({
    tenantId: 't-1',
    plan: planBundle(fromSeq, toSeq, carried),
    entries: log.filter((e) => e.seq >= fromSeq && e.seq <= toSeq),
    checkpoints: carried.map((s) => checkpointAt(log, s, key)),
    subtree: leaves,
    publicKey: { keyId: key.keyId, spki: key.spki },
    exportedAt: new Date('2025-03-02T00:00:00Z'),
  });
  built.set(`${fromSeq}:${toSeq}`, bundle);
  return bundle;
}

let pool: WorkerPool;
beforeAll(() => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: build first with \`npx tsc -b services/audit\``);
  pool = new WorkerPool(2, WORKER);
});
afterAll(() => pool?.close());

// 1024 entries a range: boundaries after seq 1024 and 2048, each range on whichever worker is free.
const parallel = (b: EvidenceBundle) => verifyBundleParallel(b, { threshold: 1, rangeSize: 1024, runner: pool });
type Entries = EvidenceBundle['entries'];

describe.each([
  ['the whole log', 1, N],
  ['a range in the middle', 900, 2900],
])('%s, hashed by two worker threads', (_label, from, to) => {
  it('intact: the same report', async () => {
    const b = bundleOf(from, to);
    const reference = verifyBundle(b);
    expect(reference.intact).toBe(true);
    expect(await parallel(b)).toEqual(reference);
  });

  it.each([
    ['altered at the first entry of a worker range', (es: Entries) => es.map((e) => (e.seq === 1025 ? { ...e, payload: '{}' } : e))],
    ['altered at the last entry of a worker range', (es: Entries) => es.map((e) => (e.seq === 2048 ? { ...e, subjectId: 'sub-forged' } : e))],
    ['removed at a boundary', (es: Entries) => es.filter((e) => e.seq !== 1025)],
    ['reordered across a boundary', (es: Entries) => es.map((e) => es.find((x) => x.seq === (e.seq === 1024 ? 1025 : e.seq === 1025 ? 1024 : e.seq))!)],
  ])('an entry %s: the same failure', async (_what, tamper) => {
    const b = bundleOf(from, to);
    const tampered = { ...b, entries: tamper(b.entries) };
    const reference = verifyBundle(tampered);
    expect(reference.failure).toBeDefined();
    expect(await parallel(tampered)).toEqual(reference);
  });

  it('a checkpoint with a bad signature: the same failure', async () => {
    const b = bundleOf(from, to);
    const forged = { ...b, checkpoints: b.checkpoints.map((c, i) => (i === 0 ? { ...c, signature: c.signature.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')) } : c)) };
    const reference = verifyBundle(forged);
    expect(reference.failure).toMatchObject({ reason: 'bad_signature' });
    expect(await parallel(forged)).toEqual(reference);
  });
});

it('a pool whose worker cannot start fails the verification instead of hanging', async () => {
  const broken = new WorkerPool(1, join(__dirname, 'no-such-worker.js'));
  await expect(verifyBundleParallel(bundleOf(1, N), { threshold: 1, runner: broken })).rejects.toThrow();
  await broken.close();
});
