import type { Subtree, SubtreeAddress } from '../domain/frontier';

/**
 * Leaves are kept in blocks of BLOCK_SIZE (one document each, the last one growing); perfect
 * subtrees from BLOCK_LEVEL up are kept one per document. Anything below a block's root is
 * recomputed from its leaves (at most 255 hashes), so storage is ~33 bytes per entry plus a
 * node per 128 entries, and any proof needs O(log n) documents.
 */
export const BLOCK_LEVEL = 8;
export const BLOCK_SIZE = 2 ** BLOCK_LEVEL;

export const addressKey = (a: SubtreeAddress): string => `${a.level}:${a.index}`;

/** A tenant's stored Merkle tree, built from audit_entries by TenantTrees.extend. */
export interface MerkleTreeStore {
  /** Leaves the stored tree holds; 0 for a tenant without one. */
  size(tenant: string): Promise<number>;
  /** Records that the tree holds `size` leaves; never lowers it. */
  advance(tenant: string, size: number): Promise<void>;
  /** Leaf hashes of the given blocks, by block index (a block absent from the map is not stored). */
  blocks(tenant: string, indexes: readonly number[]): Promise<Map<number, Buffer[]>>;
  /** A stored block is only ever replaced by a longer one. */
  saveBlocks(tenant: string, blocks: ReadonlyMap<number, readonly Buffer[]>): Promise<void>;
  /** Stored subtrees (level ≥ BLOCK_LEVEL) by addressKey; absent ones are missing from the map. */
  nodes(tenant: string, addresses: readonly SubtreeAddress[]): Promise<Map<string, Buffer>>;
  /** Idempotent: a subtree already stored is kept. */
  saveNodes(tenant: string, nodes: readonly Subtree[]): Promise<void>;
}

/** The stored tree lacks a subtree it should hold (the store was damaged or is being rebuilt). */
export class TreeStoreError extends Error {
  override readonly name = 'TreeStoreError';
}
