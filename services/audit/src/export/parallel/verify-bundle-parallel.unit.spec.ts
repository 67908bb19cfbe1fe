// Does the parallel verifier, its ranges hashed apart (here in process, 8 entries a range), give exactly the reference's report — intact, and for an entry altered, removed or reordered (at and across range boundaries), a rewritten suffix, a bad signature, a tampered proof, or an entry of the wrong shape?
import type { AuditEntry } from '../../log/domain/audit-entry';
import { entryLeaf } from '../../merkle/domain/merkle-hash';
import { leafArrayHasher } from '../../merkle/domain/merkle-tree';
import { chainOf, checkpointAt, rewriteFrom, testSigningKey } from '../../test-support/chains.helper.spec';
import { assembleBundle, planBundle } from '../domain/assemble-bundle';
import type { EvidenceBundle } from '../domain/bundle';
import { hashRange, type RangeJob } from '../domain/hash-range';
import { verifyBundle } from '../domain/verify-bundle';
import { verifyBundleParallel } from './verify-bundle-parallel';
import type { RangeRunner } from './worker-pool';

const key = testSigningKey();
const log = chainOf('t-1', 40);
// Range ends at 8, 16, 24, 32; checkpoints on, just before and just after them.
const SIZES = [8, 13, 16, 17, 31, 40];

function bundleOf(fromSeq: number, toSeq: number, entries: AuditEntry[] = log): EvidenceBundle {
  const carried = SIZES.filter((s, i) => i === SIZES.length - 1 || (s >= fromSeq && s <= toSeq));
  return assembleBundle({
    tenantId: 't-1',
    plan: planBundle(fromSeq, toSeq, carried),
    entries: entries.filter((e) => e.seq >= fromSeq && e.seq <= toSeq),
    checkpoints: carried.map((s) => checkpointAt(entries, s, key)),
    subtree: leafArrayHasher(entries.map((e) => entryLeaf(e.hash))),
    publicKey: { keyId: key.keyId, spki: key.spki },
    exportedAt: new Date('2025-03-02T00:00:00Z'),
  });
}

/** As a worker does it, the job copied over (structured clone), one job at a time. */
const jobsRun: RangeJob[] = [];
const inProcess: RangeRunner = {
  size: 2,
  run: async (job) => {
    jobsRun.push(job);
    return hashRange(structuredClone(job));
  },
};

async function bothOf(bundle: EvidenceBundle) {
  jobsRun.length = 0;
  const parallel = await verifyBundleParallel(bundle, { threshold: 1, rangeSize: 8, runner: inProcess });
  return { parallel, reference: verifyBundle(bundle), jobs: jobsRun.length };
}

type Entries = EvidenceBundle['entries'];
const change = (seq: number, c: object) => (es: Entries) => es.map((e) => (e.seq === seq ? { ...e, ...c } : e));
const without = (seq: number) => (es: Entries) => es.filter((e) => e.seq !== seq);
const swap = (a: number, b: number) => (es: Entries) => {
  const out = [...es];
  const i = out.findIndex((e) => e.seq === a);
  const j = out.findIndex((e) => e.seq === b);
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
};

describe.each([
  ['the whole log', 1, 40],
  ['a range in the middle', 6, 35],
])('%s', (_label, from, to) => {
  it('intact: the same report, the work split over ranges', async () => {
    const { parallel, reference, jobs } = await bothOf(bundleOf(from, to));
    expect(reference.intact).toBe(true);
    expect(jobs).toBe(Math.ceil((to - from + 1) / 8));
    expect(parallel).toEqual(reference);
  });

  it.each([
    ['altered, first entry of a range', change(17, { payload: '{"forged":true}' })],
    ['altered, last entry of a range', change(16, { subjectId: 'sub-forged' })],
    ['altered, in the middle of a range', change(20, { occurredAt: 'not a date' })],
    ['altered hash only', change(25, { hash: 'ab'.repeat(32) })],
    ['removed, first entry of a range', without(9)],
    ['removed, last entry of a range', without(24)],
    ['reordered across a range boundary', swap(16, 17)],
    ['reordered inside a range', swap(26, 28)],
    ['renumbered', change(12, { seq: 13 })],
    ['of another tenant', change(30, { tenantId: 't-2' })],
    ['the last entry repeated', (es: Entries) => [...es, es.at(-1)!]],
  ])('an entry %s: the same failure as the reference', async (_what, tamper) => {
    const b = bundleOf(from, to);
    const { parallel, reference } = await bothOf({ ...b, entries: tamper(b.entries) });
    expect(reference.failure).toBeDefined();
    expect(parallel).toEqual(reference);
  });

  it('a suffix rewritten with recomputed hashes (from a range boundary): the same root_mismatch', async () => {
    const b = bundleOf(from, to);
    const { parallel, reference } = await bothOf({ ...b, entries: bundleOf(from, to, rewriteFrom(log, 16, { payload: '{}' })).entries });
    expect(reference.failure).toMatchObject({ reason: 'root_mismatch' });
    expect(parallel).toEqual(reference);
  });

  it('a checkpoint altered after signing: the same bad_signature', async () => {
    const b = bundleOf(from, to);
    const { parallel, reference } = await bothOf({ ...b, checkpoints: b.checkpoints.map((c, i) => (i === 0 ? { ...c, rootHash: 'ab'.repeat(32) } : c)) });
    expect(reference.failure).toMatchObject({ reason: 'bad_signature' });
    expect(parallel).toEqual(reference);
  });

  it('an entry that is not as parseBundle gives it: left to the reference, the same report', async () => {
    const b = bundleOf(from, to);
    const entries = b.entries.map((e) => (e.seq === 21 ? ({ ...e, subjectId: 21 } as unknown as Entries[number]) : e));
    const { parallel, reference } = await bothOf({ ...b, entries });
    expect(reference.failure).toMatchObject({ seq: 21, reason: 'hash_mismatch' });
    expect(parallel).toEqual(reference);
  });
});

describe('proofs, done by the workers', () => {
  const flip = (h: string) => (h[0] === 'a' ? 'b' : 'a') + h.slice(1);

  it.each([
    ['an inclusion path element changed', (p: string[]) => [flip(p[0]!), ...p.slice(1)]],
    ['an inclusion path element that is no hash', (p: string[]) => [`${p[0]!.slice(0, 63)}Z`, ...p.slice(1)]],
    ['two path elements run together', (p: string[]) => [p[0]! + p[1]!, ...p.slice(2)]],
    ['an inclusion path missing', () => undefined],
  ])('%s: the same root_mismatch', async (_what, tamper) => {
    const b = bundleOf(6, 35);
    const inclusion = b.proofs.inclusion.flatMap((p) => {
      if (p.seq !== 17) return [p];
      const path = tamper(p.path);
      return path ? [{ ...p, path }] : [];
    });
    const { parallel, reference } = await bothOf({ ...b, proofs: { ...b.proofs, inclusion } });
    expect(reference.failure).toMatchObject({ seq: 17, reason: 'root_mismatch' });
    expect(parallel).toEqual(reference);
  });

  it('a prefix ending before the anchor: roots recomputed and inclusion proofs, the same report', async () => {
    const { parallel, reference } = await bothOf(bundleOf(1, 30));
    expect(reference).toMatchObject({ intact: true, rootsRecomputed: 4, inclusionProofsVerified: 30 });
    expect(parallel).toEqual(reference);
  });
});

describe('when the reference runs alone', () => {
  it('below the threshold no range is hashed apart', async () => {
    jobsRun.length = 0;
    const b = bundleOf(1, 40);
    expect(await verifyBundleParallel(b, { threshold: 41, runner: inProcess })).toEqual(verifyBundle(b));
    expect(jobsRun).toHaveLength(0);
  });

  it('refuses a range size that is not a power of two', async () => {
    await expect(verifyBundleParallel(bundleOf(1, 40), { threshold: 1, rangeSize: 12, runner: inProcess })).rejects.toThrow('power of two');
  });
});
