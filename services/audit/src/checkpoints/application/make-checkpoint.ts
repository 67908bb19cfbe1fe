// Signs a checkpoint of a tenant's tree when it grew: on the schedule (CHECKPOINT_INTERVAL_MS),
// on request (POST .../audit/checkpoints) and before an export whose range the latest one does
// not cover. The tree is extended first, and never past an entry that does not chain, so a
// checkpoint never vouches for a broken log. Each new checkpoint is recorded as
// AuditCheckpointSigned in audit's own store.
import { isTenantId, type Actor, type TenantId } from '@enclave/eventing';
import type { Logger } from '@enclave/platform';
import type { AuditLogStore } from '../../log/application/ports';
import type { TenantTrees } from '../../merkle/application/tenant-trees';
import { toHex } from '../../merkle/domain/merkle-hash';
import type { RecordTrailAccess } from '../../trail-events/application/record-trail-access';
import { decideCheckpoint, type Checkpoint, type CheckpointDecision } from '../domain/checkpoint';
import { CHECKPOINT_ENTRY_TYPE, type CheckpointSigner, type CheckpointStore } from './ports';

export type CheckpointTrigger = 'schedule' | 'request';

export type CheckpointOutcome =
  | { created: true; checkpoint: Checkpoint }
  | { created: false; checkpoint: Checkpoint | null; reason: Extract<CheckpointDecision, { sign: false }>['reason'] | 'exists' };

export class MakeCheckpoint {
  constructor(
    private readonly deps: {
      trees: TenantTrees;
      log: AuditLogStore;
      checkpoints: CheckpointStore;
      signer: CheckpointSigner;
      record: RecordTrailAccess;
      clock: () => Date;
      logger: Logger;
    },
  ) {}

  async execute(tenant: string, trigger: CheckpointTrigger, actor: Actor): Promise<CheckpointOutcome> {
    const { trees, log, checkpoints, signer, record, clock, logger } = this.deps;
    const tree = await trees.extend(tenant);
    if (tree.stoppedAt) {
      logger.error({ tenantId: tenant, stoppedAt: tree.stoppedAt }, 'audit chain does not verify; the Merkle tree stops before this entry');
    }
    const latest = await checkpoints.latest(tenant);
    const latestTreeSize = latest?.treeSize ?? 0;
    const grewBeyondCheckpointEntries =
      trigger === 'request' || tree.size <= latestTreeSize || (await log.hasEntriesOtherThan(tenant, latestTreeSize, CHECKPOINT_ENTRY_TYPE));
    const decision = decideCheckpoint({ treeSize: tree.size, latestTreeSize, trigger, grewBeyondCheckpointEntries });
    if (!decision.sign) return { created: false, checkpoint: latest ?? null, reason: decision.reason };

    const checkpoint = signer.sign({ tenantId: tenant, treeSize: tree.size, rootHash: toHex(tree.root), issuedAt: clock() });
    if ((await checkpoints.insert(checkpoint)) === 'exists') {
      return { created: false, checkpoint: (await checkpoints.atSize(tenant, tree.size)) ?? null, reason: 'exists' };
    }
    // The platform pseudo-tenant's log is checkpointed too, but has no tenant to record under.
    if (isTenantId(tenant)) {
      await record.execute(
        tenant as TenantId,
        { type: 'RecordCheckpoint', treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, keyId: checkpoint.keyId, issuedAt: checkpoint.issuedAt },
        actor,
      );
    }
    return { created: true, checkpoint };
  }
}
