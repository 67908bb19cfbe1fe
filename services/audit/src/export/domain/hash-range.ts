// EntryHashing computed ahead, over contiguous ranges of a bundle's entries, so that worker
// threads can share the work: packRange (main thread) turns a range into a job that is cheap to
// post (one string of the fields, typed arrays of lengths and seqs), hashRange (a worker) answers
// it, precomputedHashing (main thread) serves the answers to the checks. Ranges start at multiples
// of a power of two, so each full range is a perfect subtree of the Merkle tree and any root the
// checks ask for is the fold of the earlier ranges' roots and one range's frontier.
import { foldSubtrees, Frontier } from '../../merkle/domain/frontier';
import { fromHex, hashLeaf, isHexHash, toHex } from '../../merkle/domain/merkle-hash';
import { verifyInclusion } from '../../merkle/domain/verify-proofs';
import type { BundleEntry } from './bundle';
import { entryDigestHex, type EntryHashing, type EntryPlan } from './entry-hashing';

/** Per entry, in this order: actor.id, actor.kind, actor.role, eventId, occurredAt, payload, prevHash, recordedAt, service, subjectId, tenantId, type, hash. */
const FIELDS = 13;
/** Length of a field not sent: the same as the previous entry's (prevHash: as the previous entry's hash). */
const SAME = 0xffffffff;
const HASH_OK = 1;
const INCLUDED = 2;

export interface RangeJob {
  /** Index of the range's first entry in the bundle. */
  start: number;
  count: number;
  text: string;
  lengths: Uint32Array;
  seqs: Float64Array;
  /** Ascending numbers of leaves of this range (1..count) after which to report the range's frontier. */
  cuts: number[];
  /** Per entry, its inclusion path as 64-character elements; -1: no path, or an element that is no hash. */
  inclusion: { treeSize: number; rootHex: string; text: string; counts: Int32Array } | null;
}

export interface RangeResult {
  start: number;
  /** Per entry: HASH_OK | INCLUDED bits. */
  status: Uint8Array;
  /** The range's frontier (subtree roots, largest first, hex) after each cut. */
  frontiers: string[][];
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** Every field a string and seq a number, as parseBundle gives them; anything else is left to the reference. */
export function isPlainEntry(e: BundleEntry): boolean {
  const a = e.actor as BundleEntry['actor'] | null | undefined;
  return (
    typeof a === 'object' && a !== null && isText(a.id) && isText(a.kind) && isText(a.role) && isText(e.eventId) && isText(e.occurredAt) &&
    isText(e.payload) && isText(e.prevHash) && isText(e.recordedAt) && isText(e.service) && isText(e.subjectId) && isText(e.tenantId) &&
    isText(e.type) && isText(e.hash) && typeof e.seq === 'number'
  );
}

/** Leaf counts within [start, start + count) at which a root is asked: before each checkpoint's seq, and at a full range's end. */
function cutsOf(plan: EntryPlan, start: number, count: number, rangeSize: number): number[] {
  const cuts = new Set<number>();
  if (plan.recompute) {
    for (const size of plan.checkpointAt.keys()) if (size > start && size <= start + count) cuts.add(size - start);
    if (count === rangeSize) cuts.add(count);
  }
  return [...cuts].sort((a, b) => a - b);
}

/** The job for entries[start, start + count); undefined when an entry is not plain (see isPlainEntry). */
export function packRange(entries: readonly BundleEntry[], plan: EntryPlan, start: number, count: number, rangeSize: number): RangeJob | undefined {
  const parts: string[] = [];
  const lengths = new Uint32Array(count * FIELDS);
  const seqs = new Float64Array(count);
  const paths: string[] = [];
  const counts = plan.needInclusion ? new Int32Array(count) : null;
  // A field equal to the previous entry's (its prevHash: to the previous entry's hash) is not sent again.
  const last: string[] = [];
  let l = 0;
  const put = (value: string, field: number) => {
    if (value === last[field]) lengths[l++] = SAME;
    else {
      last[field] = value;
      parts.push(value);
      lengths[l++] = value.length;
    }
  };
  for (let i = 0; i < count; i++) {
    const e = entries[start + i]!;
    if (!isPlainEntry(e)) return undefined;
    put(e.actor.id, 0);
    put(e.actor.kind, 1);
    put(e.actor.role, 2);
    put(e.eventId, 3);
    put(e.occurredAt, 4);
    put(e.payload, 5);
    last[6] = last[12]!;
    put(e.prevHash, 6);
    put(e.recordedAt, 7);
    put(e.service, 8);
    put(e.subjectId, 9);
    put(e.tenantId, 10);
    put(e.type, 11);
    put(e.hash, 12);
    seqs[i] = e.seq;
    if (counts) {
      const path = plan.proofs.get(e.seq);
      // Elements of another length can be no hash: the worker then needs no boundaries to find.
      if (path === undefined || !path.every((p) => isText(p) && p.length === 64)) counts[i] = -1;
      else {
        counts[i] = path.length;
        paths.push(...path);
      }
    }
  }
  const inclusion = counts ? { treeSize: plan.anchor.treeSize, rootHex: plan.anchor.rootHash, text: paths.join(''), counts } : null;
  return { start, count, text: parts.join(''), lengths, seqs, cuts: cutsOf(plan, start, count, rangeSize), inclusion };
}

/** The worker's part: every entry's hash, leaf, inclusion proof, and the range's frontier at each cut. */
export function hashRange(job: RangeJob): RangeResult {
  const { text, lengths, seqs, cuts, inclusion } = job;
  const status = new Uint8Array(job.count);
  const frontiers: string[][] = [];
  const frontier = Frontier.empty();
  const anchorRoot = inclusion && isHexHash(inclusion.rootHex) ? fromHex(inclusion.rootHex) : null;
  let at = 0;
  let pathAt = 0;
  let cut = 0;
  const last: string[] = [];
  const next = (l: number, field: number): string => {
    const length = lengths[l]!;
    if (length === SAME) return last[field]!;
    return (last[field] = text.slice(at, (at += length)));
  };
  for (let i = 0, l = 0; i < job.count; i++) {
    last[6] = last[12]!;
    const id = next(l++, 0), kind = next(l++, 1), role = next(l++, 2);
    const entry = {
      actor: { id, kind, role },
      eventId: next(l++, 3),
      occurredAt: next(l++, 4),
      payload: next(l++, 5),
      prevHash: next(l++, 6),
      recordedAt: next(l++, 7),
      service: next(l++, 8),
      subjectId: next(l++, 9),
      tenantId: next(l++, 10),
      type: next(l++, 11),
      seq: seqs[i]!,
    };
    const recorded = next(l++, 12);
    const hex = entryDigestHex(entry);
    const leaf = hashLeaf(Buffer.from(hex, 'hex'));
    let bits = hex === recorded ? HASH_OK : 0;
    if (inclusion) {
      const n = inclusion.counts[i]!;
      const path: string[] = [];
      for (let k = 0; k < n; k++, pathAt += 64) path.push(inclusion.text.slice(pathAt, pathAt + 64));
      const ok = bits === HASH_OK && n >= 0 && anchorRoot !== null && path.every(isHexHash);
      if (ok && verifyInclusion(entry.seq - 1, inclusion.treeSize, leaf, path.map(fromHex), anchorRoot)) bits |= INCLUDED;
    }
    status[i] = bits;
    if (cuts.length > 0) {
      frontier.append(leaf);
      if (cuts[cut] === i + 1) {
        frontiers.push(frontier.subtrees.map((s) => toHex(s.hash)));
        cut += 1;
      }
    }
  }
  return { start: job.start, status, frontiers };
}

/** The checks' answers from every range's result; rangeSize a power of two, results in any order. */
export function precomputedHashing(jobs: readonly RangeJob[], results: readonly RangeResult[], rangeSize: number): EntryHashing {
  const byStart = new Map(results.map((r) => [r.start, r]));
  const ranges = jobs.map((job) => {
    const result = byStart.get(job.start);
    if (!result || result.status.length !== job.count || result.frontiers.length !== job.cuts.length) throw new Error(`no complete result for the entries from index ${job.start}`);
    return { job, result };
  });
  // Roots of the full ranges before the one asked about, as a frontier whose leaves are ranges.
  const prefix = Frontier.empty();
  const range = (i: number) => ranges[Math.floor(i / rangeSize)]!;
  const status = (i: number) => range(i).result.status[i % rangeSize]!;
  return {
    hashMatches: (i) => (status(i) & HASH_OK) !== 0,
    included: (i) => (status(i) & INCLUDED) !== 0,
    rootHex(i) {
      const r = Math.floor(i / rangeSize);
      while (prefix.size < r) {
        const full = ranges[prefix.size]!;
        prefix.append(fromHex(full.result.frontiers.at(-1)![0]!));
      }
      const { job, result } = ranges[r]!;
      const cut = job.cuts.indexOf((i % rangeSize) + 1);
      if (cut === -1) throw new Error(`no root was computed after entry index ${i}`);
      return toHex(foldSubtrees([...prefix.subtrees.map((s) => s.hash), ...result.frontiers[cut]!.map(fromHex)]));
    },
  };
}

/** The largest power of two not above n (n ≥ 1). */
export function powerOfTwoAtMost(n: number): number {
  let k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}
