// Which entry of [fromSeq, toSeq] is not the one a signed checkpoint committed to? Each entry's
// leaf is checked against the checkpoint's root with an inclusion proof from the stored tree
// (built when the entries were first checkpointed), page by page. Undefined when every entry is
// included (then only the stored tree itself could be at fault) or the stored tree is damaged.
import type { AuditLogStore } from '../../log/application/ports';
import type { Checkpoint } from '../../checkpoints/domain/checkpoint';
import type { BrokenEntry } from '../../checkpoints/domain/verify-with-checkpoints';
import { TreeStoreError } from '../../merkle/application/ports';
import type { TenantTrees } from '../../merkle/application/tenant-trees';
import { entryLeaf, fromHex, isHexHash } from '../../merkle/domain/merkle-hash';
import { inclusionProof, inclusionRanges } from '../../merkle/domain/merkle-tree';
import { verifyInclusion } from '../../merkle/domain/verify-proofs';

export async function pinpoint(
  deps: { log: AuditLogStore; trees: TenantTrees; pageSize: number },
  tenant: string,
  fromSeq: number,
  toSeq: number,
  checkpoint: Checkpoint,
): Promise<BrokenEntry | undefined> {
  const root = fromHex(checkpoint.rootHash);
  let expected = fromSeq;
  try {
    while (expected <= toSeq) {
      const page = (await deps.log.page(tenant, expected - 1, Math.min(deps.pageSize, toSeq - expected + 1))).filter((e) => e.seq <= toSeq);
      if (page.length === 0) return { seq: expected, eventId: '', reason: 'removed' };
      const cache = await deps.trees.subtrees(tenant, page.flatMap((e) => inclusionRanges(e.seq - 1, checkpoint.treeSize)));
      for (const entry of page) {
        if (entry.seq !== expected) return { seq: expected, eventId: '', reason: 'removed' };
        const included =
          isHexHash(entry.hash) &&
          verifyInclusion(entry.seq - 1, checkpoint.treeSize, entryLeaf(entry.hash), inclusionProof(entry.seq - 1, checkpoint.treeSize, cache.hasher), root);
        if (!included) return { seq: entry.seq, eventId: entry.eventId, reason: 'root_mismatch' };
        expected += 1;
      }
    }
  } catch (error) {
    if (error instanceof TreeStoreError) return undefined;
    throw error;
  }
  return undefined;
}
