// Loads, in a few queries, the stored subtrees a batch of proofs needs, then answers them
// synchronously: stored nodes from BLOCK_LEVEL up, smaller subtrees from their block's leaves.
import { foldSubtrees, perfectSubtrees, type SubtreeAddress } from '../domain/frontier';
import { merkleRoot, type LeafRange, type SubtreeHasher } from '../domain/merkle-tree';
import { addressKey, BLOCK_LEVEL, BLOCK_SIZE, TreeStoreError, type MerkleTreeStore } from './ports';

export class SubtreeCache {
  private readonly known = new Map<string, Buffer>();

  constructor(
    private readonly store: MerkleTreeStore,
    private readonly tenant: string,
  ) {}

  /** Loads every perfect subtree the ranges decompose into. */
  async loadRanges(ranges: readonly LeafRange[]): Promise<this> {
    return this.load(ranges.flatMap(([start, end]) => perfectSubtrees(start, end)));
  }

  async load(addresses: readonly SubtreeAddress[]): Promise<this> {
    const wanted = uniqueBy(addresses.filter((a) => !this.known.has(addressKey(a))));
    const high = wanted.filter((a) => a.level >= BLOCK_LEVEL);
    const low = wanted.filter((a) => a.level < BLOCK_LEVEL);
    if (high.length > 0) {
      const nodes = await this.store.nodes(this.tenant, high);
      for (const a of high) this.known.set(addressKey(a), required(nodes.get(addressKey(a)), a));
    }
    if (low.length > 0) {
      const blockOf = (a: SubtreeAddress) => Math.floor((a.index * 2 ** a.level) / BLOCK_SIZE);
      const blocks = await this.store.blocks(this.tenant, [...new Set(low.map(blockOf))]);
      for (const a of low) {
        const start = a.index * 2 ** a.level - blockOf(a) * BLOCK_SIZE;
        const leaves = (blocks.get(blockOf(a)) ?? []).slice(start, start + 2 ** a.level);
        if (leaves.length !== 2 ** a.level) throw new TreeStoreError(`stored tree lacks leaves of subtree ${addressKey(a)}`);
        this.known.set(addressKey(a), merkleRoot(leaves));
      }
    }
    return this;
  }

  get(address: SubtreeAddress): Buffer {
    const hash = this.known.get(addressKey(address));
    if (!hash) throw new TreeStoreError(`subtree ${addressKey(address)} was not loaded`);
    return hash;
  }

  /** MTH(D[start:end]) for ranges of the RFC recursions, from loaded subtrees. */
  readonly hasher: SubtreeHasher = (start, end) => foldSubtrees(perfectSubtrees(start, end).map((a) => this.get(a)));
}

function required(hash: Buffer | undefined, a: SubtreeAddress): Buffer {
  if (!hash) throw new TreeStoreError(`stored tree lacks subtree ${addressKey(a)}`);
  return hash;
}

function uniqueBy(addresses: readonly SubtreeAddress[]): SubtreeAddress[] {
  const seen = new Map<string, SubtreeAddress>();
  for (const a of addresses) seen.set(addressKey(a), a);
  return [...seen.values()];
}
