// In-memory Merkle tree and checkpoint stores with the rules of their collections, and recorded
// trail accesses, for fast tests of the application layer (no tests here).
import type { Actor, TenantId } from '@enclave/eventing';
import type { TrailAccessStore } from '../trail-events/application/record-trail-access';
import type { TrailAccessEvent } from '../trail-events/domain/trail-access';
import type { Checkpoint } from '../checkpoints/domain/checkpoint';
import type { CheckpointStore } from '../checkpoints/application/ports';
import type { Subtree, SubtreeAddress } from '../merkle/domain/frontier';
import { addressKey, type MerkleTreeStore } from '../merkle/application/ports';

export class InMemoryMerkleTreeStore implements MerkleTreeStore {
  readonly sizes = new Map<string, number>();
  readonly blockMap = new Map<string, Buffer[]>();
  readonly nodeMap = new Map<string, Buffer>();

  async size(tenant: string): Promise<number> {
    return this.sizes.get(tenant) ?? 0;
  }

  async advance(tenant: string, size: number): Promise<void> {
    this.sizes.set(tenant, Math.max(size, this.sizes.get(tenant) ?? 0));
  }

  async blocks(tenant: string, indexes: readonly number[]): Promise<Map<number, Buffer[]>> {
    const out = new Map<number, Buffer[]>();
    for (const i of indexes) {
      const leaves = this.blockMap.get(`${tenant}/${i}`);
      if (leaves) out.set(i, [...leaves]);
    }
    return out;
  }

  async saveBlocks(tenant: string, blocks: ReadonlyMap<number, readonly Buffer[]>): Promise<void> {
    for (const [i, leaves] of blocks) {
      const key = `${tenant}/${i}`;
      if ((this.blockMap.get(key)?.length ?? -1) < leaves.length) this.blockMap.set(key, [...leaves]);
    }
  }

  async nodes(tenant: string, addresses: readonly SubtreeAddress[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    for (const a of addresses) {
      const hash = this.nodeMap.get(`${tenant}/${addressKey(a)}`);
      if (hash) out.set(addressKey(a), hash);
    }
    return out;
  }

  async saveNodes(tenant: string, nodes: readonly Subtree[]): Promise<void> {
    for (const n of nodes) {
      const key = `${tenant}/${addressKey(n)}`;
      if (!this.nodeMap.has(key)) this.nodeMap.set(key, n.hash);
    }
  }
}

export class InMemoryCheckpointStore implements CheckpointStore {
  readonly all: Checkpoint[] = [];

  async insert(checkpoint: Checkpoint): Promise<'inserted' | 'exists'> {
    if (this.all.some((c) => c.tenantId === checkpoint.tenantId && c.treeSize === checkpoint.treeSize)) return 'exists';
    this.all.push(checkpoint);
    return 'inserted';
  }

  async latest(tenant: string): Promise<Checkpoint | undefined> {
    return this.of(tenant).at(-1);
  }

  async atSize(tenant: string, treeSize: number): Promise<Checkpoint | undefined> {
    return this.of(tenant).find((c) => c.treeSize === treeSize);
  }

  async newestFirst(tenant: string, before: number | undefined, limit: number): Promise<Checkpoint[]> {
    return this.of(tenant)
      .filter((c) => before === undefined || c.treeSize < before)
      .reverse()
      .slice(0, limit);
  }

  async oldestFirst(tenant: string, after: number, limit: number): Promise<Checkpoint[]> {
    return this.of(tenant)
      .filter((c) => c.treeSize > after)
      .slice(0, limit);
  }

  async between(tenant: string, minSize: number, maxSize: number): Promise<Checkpoint[]> {
    return this.of(tenant).filter((c) => c.treeSize >= minSize && c.treeSize <= maxSize);
  }

  private of(tenant: string): Checkpoint[] {
    return this.all.filter((c) => c.tenantId === tenant).sort((a, b) => a.treeSize - b.treeSize);
  }
}

export class RecordedAccesses implements TrailAccessStore {
  readonly appended: Array<{ tenant: TenantId; subjectId: string; actor: Actor; events: readonly TrailAccessEvent[] }> = [];

  async appendAccess(tenant: TenantId, subjectId: string, actor: Actor, events: readonly TrailAccessEvent[]): Promise<void> {
    this.appended.push({ tenant, subjectId, actor, events });
  }

  types(): string[] {
    return this.appended.flatMap((a) => a.events.map((e) => e.type));
  }
}
