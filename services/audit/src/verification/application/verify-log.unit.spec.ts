// Does verify check the whole log against every signed checkpoint (or a range against the latest), pin a rewritten entry exactly, see a cut tail, refuse a range beyond the log, and record each verification?
import { ValidationError } from '@enclave/platform';
import { auditWorld, auditor, TENANT } from '../../test-support/audit-world.helper.spec';
import { resealed, rewriteFrom } from '../../test-support/chains.helper.spec';

async function checkpointed(sizes: number[], total: number) {
  const w = auditWorld();
  let filled = 0;
  for (const size of sizes) {
    await w.fill(filled + 1, size);
    filled = size;
    await w.makeCheckpoint.execute(TENANT, 'request', auditor);
  }
  if (total > filled) await w.fill(filled + 1, total);
  return w;
}

const replaceFrom = (w: ReturnType<typeof auditWorld>, fromSeq: number, change: object) => {
  const chain = w.log.chain(TENANT);
  const rewritten = rewriteFrom(chain, fromSeq - 1, change);
  for (const e of rewritten.slice(fromSeq - 1)) w.log.entries[w.log.entries.findIndex((x) => x.tenantId === TENANT && x.seq === e.seq)] = e;
};

describe('VerifyLog, whole log', () => {
  it('is intact, checks every checkpoint, and records the verification', async () => {
    const w = await checkpointed([10, 25, 40], 44);
    const result = await w.verify.execute(TENANT, auditor);
    expect(result).toMatchObject({ intact: true, entriesChecked: 44, checkpointsChecked: 3, latestCheckpoint: { treeSize: 40 } });
    expect(w.accesses.appended.at(-1)!.events).toEqual([{ type: 'AuditLogVerified', intact: true, entriesChecked: 44, firstBrokenSeq: 0, fromSeq: 0, toSeq: 0 }]);
  });

  it('names an altered entry by its hash', async () => {
    const w = await checkpointed([10, 25], 30);
    w.entry(14).type = 'tampered.Event';
    await expect(w.verify.execute(TENANT, auditor)).resolves.toMatchObject({ intact: false, firstBroken: { seq: 14, eventId: 't-1-e14', reason: 'hash_mismatch' } });
  });

  it('pins a suffix rewritten with recomputed hashes and links to its first entry: root_mismatch', async () => {
    const w = await checkpointed([10, 25, 40], 40);
    replaceFrom(w, 17, { payload: '{"forged":true}' });
    const result = await w.verify.execute(TENANT, auditor);
    expect(result).toMatchObject({ intact: false, checkpointsChecked: 1, firstBroken: { seq: 17, eventId: 't-1-e17', reason: 'root_mismatch' } });
    expect(w.accesses.appended.at(-1)!.events[0]).toMatchObject({ intact: false, firstBrokenSeq: 17 });
  });

  it('blames a resealed entry, not the next one that no longer links to it', async () => {
    const w = await checkpointed([30], 30);
    const i = w.log.entries.indexOf(w.entry(12));
    w.log.entries[i] = resealed(w.entry(12), { subjectId: 'sub-forged' });
    await expect(w.verify.execute(TENANT, auditor)).resolves.toMatchObject({ firstBroken: { seq: 12, eventId: 't-1-e12', reason: 'root_mismatch' } });
  });

  it('sees a tail cut off after a checkpoint: removed', async () => {
    const w = await checkpointed([20], 20);
    w.log.entries.splice(w.log.entries.indexOf(w.entry(19)), 2);
    await expect(w.verify.execute(TENANT, auditor)).resolves.toMatchObject({ intact: false, firstBroken: { seq: 19, eventId: '', reason: 'removed' } });
  });
});

describe('VerifyLog, a range', () => {
  it('checks the range against the latest checkpoint and says how much of it is covered', async () => {
    const w = await checkpointed([10, 300], 320);
    await expect(w.verify.execute(TENANT, auditor, { fromSeq: 250, toSeq: 310 })).resolves.toMatchObject({
      intact: true,
      entriesChecked: 61,
      checkpointsChecked: 1,
      latestCheckpoint: { treeSize: 300 },
      range: { fromSeq: 250, toSeq: 310 },
      entriesCovered: 51,
    });
    expect(w.accesses.appended.at(-1)!.events[0]).toMatchObject({ type: 'AuditLogVerified', fromSeq: 250, toSeq: 310 });
  });

  it('defaults toSeq to the head of the log', async () => {
    const w = await checkpointed([12], 15);
    await expect(w.verify.execute(TENANT, auditor, { fromSeq: 4 })).resolves.toMatchObject({ intact: true, entriesChecked: 12, range: { fromSeq: 4, toSeq: 15 } });
  });

  it('names an altered entry, and pins a resealed one exactly', async () => {
    const w = await checkpointed([40], 40);
    w.entry(22).payload = '{}';
    await expect(w.verify.execute(TENANT, auditor, { fromSeq: 20, toSeq: 30 })).resolves.toMatchObject({ firstBroken: { seq: 22, reason: 'hash_mismatch' } });
    const v = await checkpointed([40], 40);
    v.log.entries[v.log.entries.indexOf(v.entry(25))] = resealed(v.entry(25), { payload: '{}' });
    await expect(v.verify.execute(TENANT, auditor, { fromSeq: 20, toSeq: 30 })).resolves.toMatchObject({ firstBroken: { seq: 25, eventId: 't-1-e25', reason: 'root_mismatch' } });
  });

  it('names a removed entry inside the range', async () => {
    const w = await checkpointed([40], 40);
    w.log.entries.splice(w.log.entries.indexOf(w.entry(33)), 1);
    await expect(w.verify.execute(TENANT, auditor, { fromSeq: 30, toSeq: 40 })).resolves.toMatchObject({ intact: false, firstBroken: { seq: 33, reason: 'removed' } });
  });

  it('refuses a range beyond the log', async () => {
    const w = await checkpointed([5], 5);
    await expect(w.verify.execute(TENANT, auditor, { fromSeq: 3, toSeq: 6 })).rejects.toBeInstanceOf(ValidationError);
    await expect(w.verify.execute(TENANT, auditor, { fromSeq: 9 })).rejects.toThrow('the log holds seq 1 to 5');
  });
});
