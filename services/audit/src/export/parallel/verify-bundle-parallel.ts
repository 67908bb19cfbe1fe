// verifyBundle on every core: the entries' hashes, leaves, inclusion proofs and Merkle subtrees
// are computed over contiguous ranges by worker threads, then the very same checks as the
// reference run on this thread with those answers (chain links across range boundaries, seq
// order, roots from the ranges' subtrees, signatures). Same report, same first failure, same
// words. Below PARALLEL_THRESHOLD entries the reference alone is faster (no workers to start).
import type { EvidenceBundle } from '../domain/bundle';
import { planEntries } from '../domain/entry-hashing';
import { packRange, powerOfTwoAtMost, precomputedHashing, type RangeJob, type RangeResult } from '../domain/hash-range';
import { isHexHash } from '../../merkle/domain/merkle-hash';
import { bundleKey, verifyBundle, verifyBundleWith, type BundleReport, type VerifyOptions } from '../domain/verify-bundle';
import { defaultPoolSize, WorkerPool, type RangeRunner } from './worker-pool';

export const PARALLEL_THRESHOLD = 20_000;
const MIN_RANGE = 1024;

export interface ParallelOptions extends VerifyOptions {
  /** Entries from which workers are used (default PARALLEL_THRESHOLD); below, the reference runs alone. */
  threshold?: number;
  /** Workers to use; default a pool of os.availableParallelism() started and closed for this call. */
  runner?: RangeRunner;
  /** Entries per job, a power of two; default about four jobs per worker, at least 1024. */
  rangeSize?: number;
}

export async function verifyBundleParallel(bundle: EvidenceBundle, options: ParallelOptions = {}): Promise<BundleReport> {
  const { threshold = PARALLEL_THRESHOLD, runner, rangeSize: asked, ...verify } = options;
  const entries = bundle.entries;
  const anchor = bundle.checkpoints.at(-1);
  // Without a usable anchor the checks fail before any entry is hashed.
  if (entries.length === 0 || entries.length < threshold || !anchor || !isHexHash(anchor.rootHash)) return verifyBundle(bundle, verify);
  bundleKey(bundle); // an unreadable key is refused before any work starts, as the reference refuses it
  const plan = planEntries(bundle, anchor);
  const workers = runner?.size ?? defaultPoolSize();
  const rangeSize = asked ?? Math.max(MIN_RANGE, powerOfTwoAtMost(Math.max(1, Math.floor(entries.length / (workers * 4)))));
  if (!Number.isSafeInteger(rangeSize) || rangeSize < 1 || powerOfTwoAtMost(rangeSize) !== rangeSize) throw new RangeError('rangeSize must be a power of two');

  const pool = runner ?? new WorkerPool(workers);
  const jobs: RangeJob[] = [];
  const running: Array<Promise<RangeResult>> = [];
  let plain = true;
  try {
    // Each range is posted as soon as it is packed: the workers start while the rest is packed.
    for (let start = 0; start < entries.length; start += rangeSize) {
      const job = packRange(entries, plan, start, Math.min(rangeSize, entries.length - start), rangeSize);
      if (!job) {
        plain = false;
        break;
      }
      jobs.push(job);
      running.push(pool.run(job));
    }
    const settled = await Promise.allSettled(running);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    // An entry not as parseBundle gives it: the reference decides, as for any bundle.
    if (!plain) return verifyBundle(bundle, verify);
    const results = settled.map((s) => (s as PromiseFulfilledResult<RangeResult>).value);
    const hashing = precomputedHashing(jobs, results, rangeSize);
    return verifyBundleWith(bundle, verify, (checked) => {
      if (checked.anchor !== anchor) throw new Error('the entries were hashed for another anchor');
      return hashing;
    });
  } finally {
    if (!runner) await (pool as WorkerPool).close();
  }
}
