// GET .../audit/proofs/inclusion and .../consistency: proofs from the stored tree, extended to
// the log's head first when the size asked for is beyond it. Sizes default to the latest
// checkpoint's, the one a verifier holds a signature for.
import { ValidationError } from '@enclave/platform';
import type { AuditLogStore } from '../../log/application/ports';
import type { CheckpointStore } from '../../checkpoints/application/ports';
import type { Checkpoint } from '../../checkpoints/domain/checkpoint';
import { entryLeaf, isHexHash, toHex } from '../domain/merkle-hash';
import type { TenantTrees } from './tenant-trees';

export interface InclusionAnswer {
  seq: number;
  treeSize: number;
  leafIndex: number;
  entryHash: string;
  leafHash: string | null;
  path: string[];
  rootHash: string;
  checkpoint: Checkpoint | null;
}

export interface ConsistencyAnswer {
  from: number;
  to: number;
  fromRoot: string;
  toRoot: string;
  path: string[];
  fromCheckpoint: Checkpoint | null;
  toCheckpoint: Checkpoint | null;
}

export class Prove {
  constructor(private readonly deps: { log: AuditLogStore; trees: TenantTrees; checkpoints: CheckpointStore }) {}

  async inclusion(tenant: string, seq: number, treeSize: number | undefined): Promise<InclusionAnswer> {
    const size = await this.treeSize(tenant, treeSize);
    if (seq > size) throw new ValidationError(`seq ${seq} is not in the tree of size ${size}`);
    const { trees, log, checkpoints } = this.deps;
    const entry = (await log.page(tenant, seq - 1, 1))[0];
    const path = await trees.inclusionProof(tenant, seq - 1, size);
    return {
      seq,
      treeSize: size,
      leafIndex: seq - 1,
      entryHash: entry?.seq === seq ? entry.hash : '',
      leafHash: entry?.seq === seq && isHexHash(entry.hash) ? toHex(entryLeaf(entry.hash)) : null,
      path: path.map(toHex),
      rootHash: toHex(await trees.rootAt(tenant, size)),
      checkpoint: (await checkpoints.atSize(tenant, size)) ?? null,
    };
  }

  async consistency(tenant: string, from: number, to: number | undefined): Promise<ConsistencyAnswer> {
    const size = await this.treeSize(tenant, to);
    if (from > size) throw new ValidationError(`from (${from}) is larger than to (${size})`);
    const { trees, checkpoints } = this.deps;
    return {
      from,
      to: size,
      fromRoot: toHex(await trees.rootAt(tenant, from)),
      toRoot: toHex(await trees.rootAt(tenant, size)),
      path: (await trees.consistencyProof(tenant, from, size)).map(toHex),
      fromCheckpoint: (await checkpoints.atSize(tenant, from)) ?? null,
      toCheckpoint: (await checkpoints.atSize(tenant, size)) ?? null,
    };
  }

  /** The size asked for (the tree extended to cover it), else the latest checkpoint's. */
  private async treeSize(tenant: string, asked: number | undefined): Promise<number> {
    if (asked === undefined) {
      const latest = await this.deps.checkpoints.latest(tenant);
      if (!latest) throw new ValidationError('the log has no checkpoint yet: give treeSize, or create a checkpoint first');
      return latest.treeSize;
    }
    let built = await this.deps.trees.store.size(tenant);
    if (asked > built) built = (await this.deps.trees.extend(tenant)).size;
    if (asked > built) throw new ValidationError(`the tree holds ${built} entries; size ${asked} is beyond it`);
    return asked;
  }
}
