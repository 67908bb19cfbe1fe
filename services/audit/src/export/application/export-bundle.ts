// GET .../audit/export: an evidence bundle of entries fromSeq..toSeq, anchored on the latest
// checkpoint (one is signed first if the latest does not reach toSeq), with the inclusion and
// consistency proofs the offline verifier needs. Recorded as AuditExported.
import { ConflictError, ValidationError } from '@enclave/platform';
import type { Actor, TenantId } from '@enclave/eventing';
import type { AuditEntry } from '../../log/domain/audit-entry';
import type { AuditLogStore } from '../../log/application/ports';
import type { CheckpointStore } from '../../checkpoints/application/ports';
import type { MakeCheckpoint } from '../../checkpoints/application/make-checkpoint';
import type { TenantTrees } from '../../merkle/application/tenant-trees';
import type { RecordTrailAccess } from '../../trail-events/application/record-trail-access';
import { assembleBundle, planBundle, planProofRanges } from '../domain/assemble-bundle';
import type { EvidenceBundle } from '../domain/bundle';

/** Most entries one bundle holds (with a proof each, ~1.5 kB per entry). */
export const MAX_EXPORT_ENTRIES = 10_000;

export interface ExportDeps {
  log: AuditLogStore;
  checkpoints: CheckpointStore;
  trees: TenantTrees;
  makeCheckpoint: MakeCheckpoint;
  record: RecordTrailAccess;
  publicKey: { keyId: string; spki: string };
  clock: () => Date;
  pageSize: number;
}

export class ExportBundle {
  constructor(private readonly deps: ExportDeps) {}

  async execute(tenant: TenantId, range: { fromSeq: number; toSeq?: number }, actor: Actor): Promise<EvidenceBundle> {
    const { log, checkpoints, trees, makeCheckpoint, record } = this.deps;
    const head = await log.head(tenant);
    const { fromSeq } = range;
    if (head.seq === 0) throw new ValidationError('the log has no entries to export');
    if (fromSeq > head.seq) throw new ValidationError(`the log holds seq 1 to ${head.seq}; fromSeq ${fromSeq} is beyond it`);
    const toSeq = range.toSeq ?? Math.min(head.seq, fromSeq + MAX_EXPORT_ENTRIES - 1);
    if (toSeq > head.seq) throw new ValidationError(`the log holds seq 1 to ${head.seq}; toSeq ${toSeq} is beyond it`);
    if (toSeq - fromSeq + 1 > MAX_EXPORT_ENTRIES) throw new ValidationError(`a bundle holds at most ${MAX_EXPORT_ENTRIES} entries; export the range in parts`);

    let anchor = await checkpoints.latest(tenant);
    if (!anchor || anchor.treeSize < toSeq) anchor = (await makeCheckpoint.execute(tenant, 'request', actor)).checkpoint ?? undefined;
    if (!anchor || anchor.treeSize < toSeq) {
      throw new ConflictError(`entries up to seq ${toSeq} cannot be anchored: the chain does not verify after seq ${anchor?.treeSize ?? 0} (run verify)`);
    }
    const inner = (await checkpoints.between(tenant, fromSeq, toSeq)).filter((c) => c.treeSize < anchor.treeSize);
    const carried = [...inner, anchor];
    const plan = planBundle(fromSeq, toSeq, carried.map((c) => c.treeSize));
    const cache = await trees.subtrees(tenant, planProofRanges(plan));
    const bundle = assembleBundle({
      tenantId: tenant,
      plan,
      entries: await this.read(tenant, fromSeq, toSeq),
      checkpoints: carried,
      subtree: cache.hasher,
      publicKey: this.deps.publicKey,
      exportedAt: this.deps.clock(),
    });
    await record.execute(tenant, { type: 'RecordExport', fromSeq, toSeq, checkpointTreeSize: anchor.treeSize }, actor);
    return bundle;
  }

  private async read(tenant: string, fromSeq: number, toSeq: number): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    let after = fromSeq - 1;
    while (after < toSeq) {
      const page = (await this.deps.log.page(tenant, after, this.deps.pageSize)).filter((e) => e.seq <= toSeq);
      if (page.length === 0) break;
      out.push(...page);
      after = page.at(-1)!.seq;
    }
    return out;
  }
}
