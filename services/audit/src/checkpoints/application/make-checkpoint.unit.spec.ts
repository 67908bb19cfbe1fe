// When is a checkpoint signed — on request, on schedule, not for growth made only of checkpoint entries, once per size — and does it carry the tree's root under a valid signature, recorded as AuditCheckpointSigned?
import { auditWorld, auditor, TENANT } from '../../test-support/audit-world.helper.spec';
import { draftOf } from '../../test-support/chains.helper.spec';
import { entryLeaf, toHex } from '../../merkle/domain/merkle-hash';
import { merkleRoot } from '../../merkle/domain/merkle-tree';
import { verifyCheckpointSignature } from '../domain/checkpoint';
import { AppendToLog } from '../../log/application/append-to-log';
import { FULL_SWEEP_EVERY } from './checkpoint-scheduler';
import { CHECKPOINT_ENTRY_TYPE } from './ports';

describe('MakeCheckpoint', () => {
  it('signs nothing for an empty log', async () => {
    const w = auditWorld();
    await expect(w.makeCheckpoint.execute(TENANT, 'request', auditor)).resolves.toEqual({ created: false, checkpoint: null, reason: 'empty_log' });
  });

  it('signs the root of the whole tree on request and records it', async () => {
    const w = auditWorld();
    await w.fill(1, 12);
    const outcome = await w.makeCheckpoint.execute(TENANT, 'request', auditor);
    expect(outcome.created).toBe(true);
    const checkpoint = outcome.checkpoint!;
    expect(checkpoint).toMatchObject({ tenantId: TENANT, treeSize: 12, keyId: w.key.keyId });
    expect(checkpoint.rootHash).toBe(toHex(merkleRoot(w.log.chain(TENANT).map((e) => entryLeaf(e.hash)))));
    expect(verifyCheckpointSignature(checkpoint, w.signing.publicKey, w.signing.keyId)).toBe(true);
    expect(w.accesses.appended).toEqual([
      {
        tenant: TENANT,
        subjectId: '',
        actor: auditor,
        events: [{ type: 'AuditCheckpointSigned', treeSize: 12, rootHash: checkpoint.rootHash, keyId: w.key.keyId, issuedAtMs: checkpoint.issuedAt.getTime() }],
      },
    ]);
  });

  it('signs again only when the tree grew', async () => {
    const w = auditWorld();
    await w.fill(1, 5);
    const first = await w.makeCheckpoint.execute(TENANT, 'request', auditor);
    await expect(w.makeCheckpoint.execute(TENANT, 'schedule', auditor)).resolves.toEqual({ created: false, checkpoint: first.checkpoint, reason: 'not_grown' });
    await w.fill(6, 6);
    await expect(w.makeCheckpoint.execute(TENANT, 'schedule', auditor)).resolves.toMatchObject({ created: true, checkpoint: { treeSize: 6 } });
    expect(w.checkpoints.all.map((c) => c.treeSize)).toEqual([5, 6]);
  });

  it('on schedule, ignores growth made only of its own checkpoint entries; on request signs it', async () => {
    const w = auditWorld();
    await w.fill(1, 5);
    await w.makeCheckpoint.execute(TENANT, 'schedule', auditor);
    await w.append.execute(draftOf(TENANT, 6, { type: CHECKPOINT_ENTRY_TYPE, service: 'audit' }));
    await expect(w.makeCheckpoint.execute(TENANT, 'schedule', auditor)).resolves.toMatchObject({ created: false, reason: 'only_checkpoint_entries' });
    await expect(w.makeCheckpoint.execute(TENANT, 'request', auditor)).resolves.toMatchObject({ created: true, checkpoint: { treeSize: 6 } });
  });

  it('keeps one checkpoint per size when two are made at once', async () => {
    const w = auditWorld();
    await w.fill(1, 8);
    const outcomes = await Promise.all([w.makeCheckpoint.execute(TENANT, 'request', auditor), w.makeCheckpoint.execute(TENANT, 'request', auditor)]);
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(w.checkpoints.all).toHaveLength(1);
    expect(w.accesses.types()).toEqual(['AuditCheckpointSigned']);
  });

  it('never signs past an entry that does not chain', async () => {
    const w = auditWorld();
    await w.fill(1, 10);
    w.entry(7).subjectId = 'sub-forged';
    await expect(w.makeCheckpoint.execute(TENANT, 'request', auditor)).resolves.toMatchObject({ created: true, checkpoint: { treeSize: 6 } });
  });
});

describe('CheckpointScheduler.runOnce', () => {
  it('sweeps every tenant first, then looks only at tenants appended to, and sweeps all again every tenth round', async () => {
    const w = auditWorld();
    await w.fill(1, 3, 't-1');
    await expect(w.scheduler.runOnce()).resolves.toBe(1);
    // Appended behind this process's back (another replica): unseen until the next full sweep.
    const other = new AppendToLog(w.log);
    await other.executeBatch([draftOf('t-9', 1)]);
    for (let round = 2; round <= FULL_SWEEP_EVERY; round++) await expect(w.scheduler.runOnce()).resolves.toBe(0);
    await expect(w.scheduler.runOnce()).resolves.toBe(1);
    expect(w.checkpoints.all.map((c) => c.tenantId)).toEqual(['t-1', 't-9']);
  });

  it('signs one checkpoint per tenant whose log grew, then none until they grow again', async () => {
    const w = auditWorld();
    await w.fill(1, 3, 't-1');
    await w.fill(1, 4, 't-2');
    await expect(w.scheduler.runOnce()).resolves.toBe(2);
    await expect(w.scheduler.runOnce()).resolves.toBe(0);
    await w.fill(5, 5, 't-2');
    await expect(w.scheduler.runOnce()).resolves.toBe(1);
    expect(w.checkpoints.all.map((c) => [c.tenantId, c.treeSize])).toEqual([
      ['t-1', 3],
      ['t-2', 4],
      ['t-2', 5],
    ]);
  });
});
