// Does a tenant's stored Merkle tree follow its log incrementally across blocks and restarts, never pass an entry that does not chain, rebuild itself when damaged, and answer proofs that verify?
import { auditWorld, TENANT } from '../../test-support/audit-world.helper.spec';
import { resealed } from '../../test-support/chains.helper.spec';
import { entryLeaf } from '../domain/merkle-hash';
import { merkleRoot } from '../domain/merkle-tree';
import { verifyConsistency, verifyInclusion } from '../domain/verify-proofs';
import { TenantTrees } from './tenant-trees';

describe('TenantTrees', () => {
  it('has the full-tree root after each extension, across block boundaries and a restart', async () => {
    const w = auditWorld(50);
    const leaves = () => w.log.chain(TENANT).map((e) => entryLeaf(e.hash));
    let trees = w.trees;
    for (const size of [1, 255, 256, 257, 300, 513, 600]) {
      await w.fill((await w.log.head(TENANT)).seq + 1, size);
      const head = await trees.extend(TENANT);
      expect(head.size).toBe(size);
      expect(head.root).toEqual(merkleRoot(leaves()));
      expect(head.stoppedAt).toBeUndefined();
      trees = new TenantTrees(w.log, w.treeStore, 50); // a restarted process reads the stored frontier
    }
    expect(await w.treeStore.size(TENANT)).toBe(600);
    expect(w.treeStore.nodeMap.size).toBe(2 + 1); // two 256-leaf blocks and the 512-leaf subtree
  });

  it('answers inclusion and consistency proofs and roots of any size from the stored tree', async () => {
    const w = auditWorld(64);
    await w.fill(1, 700);
    await w.trees.extend(TENANT);
    const leaves = w.log.chain(TENANT).map((e) => entryLeaf(e.hash));
    for (const [index, size] of [[0, 1], [5, 6], [255, 256], [256, 700], [511, 513], [699, 700], [300, 520]] as const) {
      const root = merkleRoot(leaves.slice(0, size));
      expect(await w.trees.rootAt(TENANT, size)).toEqual(root);
      expect(verifyInclusion(index, size, leaves[index]!, await w.trees.inclusionProof(TENANT, index, size), root)).toBe(true);
    }
    for (const [m, n] of [[1, 700], [256, 700], [257, 512], [300, 301], [699, 700]] as const) {
      const proof = await w.trees.consistencyProof(TENANT, m, n);
      expect(verifyConsistency(m, n, proof, merkleRoot(leaves.slice(0, m)), merkleRoot(leaves.slice(0, n)))).toBe(true);
    }
  });

  it('stops before an entry that does not chain, and names it', async () => {
    const w = auditWorld();
    await w.fill(1, 40);
    const e = w.entry(23);
    e.payload = '{"forged":true}';
    const head = await w.trees.extend(TENANT);
    expect(head).toMatchObject({ size: 22, stoppedAt: { seq: 23, eventId: 't-1-e23', reason: 'hash_mismatch' } });
    expect(head.root).toEqual(merkleRoot(w.log.chain(TENANT).slice(0, 22).map((x) => entryLeaf(x.hash))));
  });

  it('stops before an entry resealed with a recomputed hash: the next one no longer links', async () => {
    const w = auditWorld();
    await w.fill(1, 30);
    const i = w.log.entries.indexOf(w.entry(10));
    w.log.entries[i] = resealed(w.entry(10), { payload: '{}' });
    await expect(w.trees.extend(TENANT)).resolves.toMatchObject({ size: 10, stoppedAt: { seq: 11, reason: 'chain_broken' } });
  });

  it('rebuilds from the first entry when a stored subtree is missing', async () => {
    const w = auditWorld(100);
    await w.fill(1, 520);
    await w.trees.extend(TENANT);
    w.treeStore.nodeMap.clear();
    await w.fill(521, 530);
    const head = await new TenantTrees(w.log, w.treeStore, 100).extend(TENANT);
    expect(head.size).toBe(530);
    expect(head.root).toEqual(merkleRoot(w.log.chain(TENANT).map((e) => entryLeaf(e.hash))));
  });

  it('keeps tenants apart', async () => {
    const w = auditWorld();
    await w.fill(1, 9);
    await w.fill(1, 4, 't-2');
    expect((await w.trees.extend('t-2')).size).toBe(4);
    expect((await w.trees.extend(TENANT)).size).toBe(9);
  });
});
