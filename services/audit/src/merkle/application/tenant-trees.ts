// Each tenant's Merkle tree over its log, kept in step incrementally: extend() reads only the
// entries past the stored size, checks that they chain (a tree, and so a checkpoint, is never
// built over a broken chain), and stores new leaves and completed subtrees. Proofs and roots of
// any size up to the stored one come from stored subtrees, O(log n) documents each.
import { EMPTY_CHAIN, type ChainHead } from '../../log/domain/audit-entry';
import { chainProblem } from '../../log/domain/verify-chain';
import type { AuditLogStore } from '../../log/application/ports';
import { Frontier, FrontierError, perfectSubtrees, type Subtree } from '../domain/frontier';
import { entryLeaf } from '../domain/merkle-hash';
import { consistencyProof, consistencyRanges, inclusionProof, inclusionRanges, merkleRoot } from '../domain/merkle-tree';
import { BLOCK_LEVEL, BLOCK_SIZE, TreeStoreError, type MerkleTreeStore } from './ports';
import { SubtreeCache } from './subtree-cache';

export interface TreeHead {
  size: number;
  root: Buffer;
  /** The entry the tree stopped before because it does not chain; absent when it reached the log's head. */
  stoppedAt?: { seq: number; eventId: string; reason: 'sequence_gap' | 'chain_broken' | 'hash_mismatch' | 'removed' };
}

export class TenantTrees {
  private readonly tails = new Map<string, Promise<unknown>>();
  /** The last entry each tenant's tree was extended over here, so the next extension need not read it again. */
  private readonly lastLeaf = new Map<string, ChainHead>();

  constructor(
    private readonly log: AuditLogStore,
    readonly store: MerkleTreeStore,
    private readonly pageSize = 1000,
  ) {}

  /** Brings the tenant's tree up to the log's head (serialized per tenant in this process). */
  extend(tenant: string): Promise<TreeHead> {
    const previous = this.tails.get(tenant) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.extendNow(tenant));
    this.tails.set(tenant, next);
    const forget = () => {
      if (this.tails.get(tenant) === next) this.tails.delete(tenant);
    };
    next.then(forget, forget);
    return next;
  }

  /** A cache holding the subtrees of the given ranges of the tenant's stored tree. */
  async subtrees(tenant: string, ranges: ReadonlyArray<readonly [number, number]>): Promise<SubtreeCache> {
    return new SubtreeCache(this.store, tenant).loadRanges(ranges);
  }

  async rootAt(tenant: string, size: number): Promise<Buffer> {
    if (size === 0) return merkleRoot([]);
    return (await this.subtrees(tenant, [[0, size]])).hasher(0, size);
  }

  async inclusionProof(tenant: string, index: number, size: number): Promise<Buffer[]> {
    const cache = await this.subtrees(tenant, inclusionRanges(index, size));
    return inclusionProof(index, size, cache.hasher);
  }

  async consistencyProof(tenant: string, m: number, n: number): Promise<Buffer[]> {
    const cache = await this.subtrees(tenant, consistencyRanges(m, n));
    return consistencyProof(m, n, cache.hasher);
  }

  private async extendNow(tenant: string): Promise<TreeHead> {
    let { size, frontier, blockLeaves } = await this.restoreOrRebuild(tenant);
    let head: ChainHead = EMPTY_CHAIN;
    const cached = this.lastLeaf.get(tenant);
    if (cached && cached.seq === size) head = cached;
    else if (size > 0) {
      const last = (await this.log.page(tenant, size - 1, 1))[0];
      if (!last || last.seq !== size) return { size, root: frontier.root(), stoppedAt: { seq: size, eventId: '', reason: 'removed' } };
      head = { seq: last.seq, hash: last.hash };
    }
    let stoppedAt: TreeHead['stoppedAt'];
    for (;;) {
      const page = await this.log.page(tenant, size, this.pageSize);
      const nodes: Subtree[] = [];
      const blocks = new Map<number, Buffer[]>();
      for (const entry of page) {
        const problem = chainProblem(head, entry);
        if (problem) {
          stoppedAt = { seq: entry.seq, eventId: entry.eventId, reason: problem };
          break;
        }
        const leaf = entryLeaf(entry.hash);
        frontier.append(leaf, (s) => s.level >= BLOCK_LEVEL && nodes.push(s));
        blockLeaves.push(leaf);
        if (blockLeaves.length === BLOCK_SIZE) {
          blocks.set(Math.floor(size / BLOCK_SIZE), blockLeaves);
          blockLeaves = [];
        }
        size += 1;
        head = { seq: entry.seq, hash: entry.hash };
      }
      if (blockLeaves.length > 0) blocks.set(Math.floor(size / BLOCK_SIZE), [...blockLeaves]);
      // Leaves and subtrees first, then the size: a crash in between leaves a size that is still true.
      await this.store.saveBlocks(tenant, blocks);
      await this.store.saveNodes(tenant, nodes);
      await this.store.advance(tenant, size);
      this.lastLeaf.set(tenant, head);
      if (stoppedAt || page.length < this.pageSize) break;
    }
    return { size, root: frontier.root(), ...(stoppedAt && { stoppedAt }) };
  }

  /** The frontier of the stored tree; rebuilt from the first entry when the store is inconsistent. */
  private async restoreOrRebuild(tenant: string): Promise<{ size: number; frontier: Frontier; blockLeaves: Buffer[] }> {
    const size = await this.store.size(tenant);
    try {
      return await this.restore(tenant, size);
    } catch (error) {
      if (!(error instanceof TreeStoreError || error instanceof FrontierError)) throw error;
      return { size: 0, frontier: Frontier.empty(), blockLeaves: [] };
    }
  }

  private async restore(tenant: string, size: number): Promise<{ size: number; frontier: Frontier; blockLeaves: Buffer[] }> {
    const inBlock = size % BLOCK_SIZE;
    const block = Math.floor(size / BLOCK_SIZE);
    const blockLeaves = inBlock === 0 ? [] : ((await this.store.blocks(tenant, [block])).get(block) ?? []).slice(0, inBlock);
    if (blockLeaves.length !== inBlock) throw new TreeStoreError(`stored tree lacks leaves of block ${block}`);
    const cache = await new SubtreeCache(this.store, tenant).load(perfectSubtrees(0, size));
    const roots = perfectSubtrees(0, size).map((a) => ({ ...a, hash: cache.get(a) }));
    return { size, frontier: Frontier.restore(size, roots), blockLeaves };
  }
}
