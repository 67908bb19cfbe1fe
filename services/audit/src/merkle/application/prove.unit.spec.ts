// Do the proof answers verify against the roots and checkpoints they name, default to the latest checkpoint, and refuse sizes beyond the log?
import { ValidationError } from '@enclave/platform';
import { auditWorld, auditor, TENANT } from '../../test-support/audit-world.helper.spec';
import { entryLeaf, fromHex, toHex } from '../domain/merkle-hash';
import { verifyConsistency, verifyInclusion } from '../domain/verify-proofs';

describe('Prove', () => {
  it('proves inclusion against the latest checkpoint by default', async () => {
    const w = auditWorld();
    await w.fill(1, 20);
    const { checkpoint } = await w.makeCheckpoint.execute(TENANT, 'request', auditor);
    const answer = await w.prove.inclusion(TENANT, 7, undefined);
    expect(answer).toMatchObject({ seq: 7, treeSize: 20, leafIndex: 6, entryHash: w.entry(7).hash, rootHash: checkpoint!.rootHash, checkpoint });
    expect(answer.leafHash).toBe(toHex(entryLeaf(w.entry(7).hash)));
    expect(verifyInclusion(6, 20, fromHex(answer.leafHash!), answer.path.map(fromHex), fromHex(answer.rootHash))).toBe(true);
  });

  it('proves inclusion in a tree size without a checkpoint, extending the tree to it', async () => {
    const w = auditWorld();
    await w.fill(1, 9);
    const answer = await w.prove.inclusion(TENANT, 9, 9);
    expect(answer.checkpoint).toBeNull();
    expect(verifyInclusion(8, 9, fromHex(answer.leafHash!), answer.path.map(fromHex), fromHex(answer.rootHash))).toBe(true);
  });

  it('proves consistency between two checkpoints', async () => {
    const w = auditWorld();
    await w.fill(1, 6);
    const first = (await w.makeCheckpoint.execute(TENANT, 'request', auditor)).checkpoint!;
    await w.fill(7, 19);
    const second = (await w.makeCheckpoint.execute(TENANT, 'request', auditor)).checkpoint!;
    const answer = await w.prove.consistency(TENANT, 6, undefined);
    expect(answer).toMatchObject({ from: 6, to: 19, fromRoot: first.rootHash, toRoot: second.rootHash, fromCheckpoint: first, toCheckpoint: second });
    expect(verifyConsistency(6, 19, answer.path.map(fromHex), fromHex(first.rootHash), fromHex(second.rootHash))).toBe(true);
  });

  it('refuses sizes beyond the log, and defaults only when a checkpoint exists', async () => {
    const w = auditWorld();
    await w.fill(1, 4);
    await expect(w.prove.inclusion(TENANT, 2, 5)).rejects.toThrow('the tree holds 4 entries');
    await expect(w.prove.inclusion(TENANT, 2, undefined)).rejects.toBeInstanceOf(ValidationError);
    await expect(w.prove.consistency(TENANT, 3, 9)).rejects.toBeInstanceOf(ValidationError);
    await w.makeCheckpoint.execute(TENANT, 'request', auditor);
    await expect(w.prove.inclusion(TENANT, 5, undefined)).rejects.toThrow('seq 5 is not in the tree of size 4');
  });
});
