// A range of the log: its chain inside the range, and that its entries are the ones the latest
// checkpoint committed to. The root is recomputed from the range's leaves plus the stored
// subtrees outside it (O(range + log n)); only when it differs are entries checked one by one.
import { ValidationError } from '@enclave/platform';
import type { AuditEntry } from '../../log/domain/audit-entry';
import { chainProblem } from '../../log/domain/verify-chain';
import { verifyCheckpointSignature } from '../../checkpoints/domain/checkpoint';
import { summarize, type BrokenEntry } from '../../checkpoints/domain/verify-with-checkpoints';
import { SubtreeCache } from '../../merkle/application/subtree-cache';
import { EMPTY_ROOT, entryLeaf, isHexHash, toHex } from '../../merkle/domain/merkle-hash';
import { outsideSubtrees, rootWithRange } from '../../merkle/domain/range-root';
import { pinpoint } from './pinpoint';
import type { VerifyDeps } from './verify-all';
import type { Verification } from './verification';

/** Largest range verified in one request (its leaves are held in memory). */
export const MAX_VERIFY_RANGE = 100_000;

export async function verifyRange(deps: VerifyDeps, tenant: string, range: { fromSeq: number; toSeq?: number }): Promise<Verification> {
  const head = await deps.log.head(tenant);
  const latest = await deps.checkpoints.latest(tenant);
  const known = Math.max(head.seq, latest?.treeSize ?? 0);
  const { fromSeq } = range;
  const toSeq = range.toSeq ?? known;
  if (fromSeq > known || toSeq > known) throw new ValidationError(`the log holds seq 1 to ${known}; the range ${fromSeq}..${toSeq} goes beyond it`);
  if (toSeq - fromSeq + 1 > MAX_VERIFY_RANGE) throw new ValidationError(`a range holds at most ${MAX_VERIFY_RANGE} entries; give a smaller toSeq`);

  const entries = await read(deps, tenant, fromSeq, toSeq);
  const chainBroken = checkChain(entries, fromSeq, toSeq);
  let merkleBroken: BrokenEntry | undefined;
  let entriesCovered = 0;
  if (latest && latest.treeSize >= fromSeq) {
    const coveredTo = Math.min(toSeq, latest.treeSize);
    const covered = entries.filter((e) => e.seq <= coveredTo);
    if (!verifyCheckpointSignature(latest, deps.key.publicKey, deps.key.keyId)) {
      merkleBroken = { seq: coveredTo, eventId: covered.at(-1)?.eventId ?? '', reason: 'bad_signature' };
    } else {
      const complete = covered.length === coveredTo - fromSeq + 1;
      const root = complete ? await rootOfRange(deps, tenant, latest.treeSize, fromSeq, covered) : undefined;
      if (!root || toHex(root) !== latest.rootHash) {
        merkleBroken = (await pinpoint(deps, tenant, fromSeq, coveredTo, latest)) ?? { seq: coveredTo, eventId: covered.at(-1)?.eventId ?? '', reason: 'root_mismatch' };
      }
      entriesCovered = covered.length;
    }
  }
  const firstBroken = [chainBroken, merkleBroken].filter((b): b is BrokenEntry => b !== undefined).sort((a, b) => a.seq - b.seq)[0];
  return {
    intact: firstBroken === undefined,
    entriesChecked: entries.length,
    checkpointsChecked: latest && latest.treeSize >= fromSeq ? 1 : 0,
    latestCheckpoint: latest ? summarize(latest) : null,
    ...(firstBroken && { firstBroken }),
    range: { fromSeq, toSeq },
    entriesCovered,
  };
}

async function read(deps: VerifyDeps, tenant: string, fromSeq: number, toSeq: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let after = fromSeq - 1;
  for (;;) {
    const page = (await deps.log.page(tenant, after, deps.pageSize)).filter((e) => e.seq <= toSeq);
    out.push(...page);
    if (page.length < deps.pageSize) return out;
    after = page.at(-1)!.seq;
  }
}

/** The chain inside the range: its first prevHash is taken as given (the checkpoint covers it). */
function checkChain(entries: readonly AuditEntry[], fromSeq: number, toSeq: number): BrokenEntry | undefined {
  let head = { seq: fromSeq - 1, hash: entries[0]?.prevHash ?? '' };
  for (const entry of entries) {
    const problem = chainProblem(head, entry);
    if (problem) return { seq: entry.seq, eventId: entry.eventId, reason: problem };
    head = { seq: entry.seq, hash: entry.hash };
  }
  return head.seq < toSeq ? { seq: head.seq + 1, eventId: '', reason: 'removed' } : undefined;
}

async function rootOfRange(deps: VerifyDeps, tenant: string, treeSize: number, fromSeq: number, covered: readonly AuditEntry[]): Promise<Buffer> {
  const leaves = covered.map((e) => (isHexHash(e.hash) ? entryLeaf(e.hash) : EMPTY_ROOT));
  const outside = outsideSubtrees(treeSize, fromSeq - 1, fromSeq - 1 + leaves.length);
  const cache = await new SubtreeCache(deps.trees.store, tenant).load(outside);
  return rootWithRange(treeSize, fromSeq - 1, leaves, (a) => cache.get(a));
}
