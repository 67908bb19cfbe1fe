// The whole log in one streaming pass (chain + every checkpoint), then, when it broke, a closer
// look: a root mismatch is pinned to the exact entry by inclusion proofs, and a chain break at
// seq s is blamed on s − 1 when that entry is not the one the latest checkpoint committed to (it
// was rewritten with a recomputed hash, so it chains backwards but not forwards).
import type { AuditEntry } from '../../log/domain/audit-entry';
import type { AuditLogStore } from '../../log/application/ports';
import type { Checkpoint } from '../../checkpoints/domain/checkpoint';
import { verifyCheckpointSignature } from '../../checkpoints/domain/checkpoint';
import type { CheckpointStore } from '../../checkpoints/application/ports';
import { verifyWithCheckpoints, type VerificationKey } from '../../checkpoints/domain/verify-with-checkpoints';
import type { TenantTrees } from '../../merkle/application/tenant-trees';
import { pinpoint } from './pinpoint';
import type { Verification } from './verification';

export interface VerifyDeps {
  log: AuditLogStore;
  checkpoints: CheckpointStore;
  trees: TenantTrees;
  key: VerificationKey;
  pageSize: number;
}

export async function verifyAll(deps: VerifyDeps, tenant: string): Promise<Verification> {
  const result = await verifyWithCheckpoints(entries(deps, tenant), checkpoints(deps, tenant), deps.key);
  if (result.intact) return result;
  const { suspect, firstBroken, ...rest } = result;
  let named = firstBroken;
  if (suspect) {
    named = (await pinpoint(deps, tenant, suspect.fromSeq, suspect.toSeq, suspect.checkpoint)) ?? firstBroken;
  } else if (firstBroken.reason === 'chain_broken' && firstBroken.seq > 1) {
    const latest = await deps.checkpoints.latest(tenant);
    if (latest && latest.treeSize >= firstBroken.seq - 1 && verifyCheckpointSignature(latest, deps.key.publicKey, deps.key.keyId)) {
      named = (await pinpoint(deps, tenant, firstBroken.seq - 1, firstBroken.seq - 1, latest)) ?? firstBroken;
    }
  }
  return { ...rest, firstBroken: named };
}

/** The chain in seq order, read in pages by seq cursor (never skip/offset). */
async function* entries(deps: VerifyDeps, tenant: string): AsyncGenerator<AuditEntry> {
  let after = 0;
  for (;;) {
    const page = await deps.log.page(tenant, after, deps.pageSize);
    yield* page;
    if (page.length < deps.pageSize) return;
    after = page.at(-1)!.seq;
  }
}

async function* checkpoints(deps: VerifyDeps, tenant: string): AsyncGenerator<Checkpoint> {
  let after = 0;
  for (;;) {
    const page = await deps.checkpoints.oldestFirst(tenant, after, deps.pageSize);
    yield* page;
    if (page.length < deps.pageSize) return;
    after = page.at(-1)!.treeSize;
  }
}
