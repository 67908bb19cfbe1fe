// Does one pass over the log verify the chain and every signed checkpoint, and catch what the chain alone cannot: a rewritten suffix, a cut tail, a forged checkpoint?
import type { AuditEntry } from '../../log/domain/audit-entry';
import { chainOf, checkpointAt, rewriteFrom, testSigningKey } from '../../test-support/chains.helper.spec';
import type { Checkpoint } from './checkpoint';
import { verifyWithCheckpoints } from './verify-with-checkpoints';

const key = testSigningKey();
const entries = chainOf('t-1', 20);
const checkpoints = [5, 12, 20].map((n) => checkpointAt(entries, n, key));
const run = (log: AuditEntry[], cps: Checkpoint[] = checkpoints, k = key) => verifyWithCheckpoints(log, cps[Symbol.iterator](), k);

describe('verifyWithCheckpoints', () => {
  it('finds an untouched log intact and checks every checkpoint', async () => {
    await expect(run(entries)).resolves.toEqual({
      intact: true,
      entriesChecked: 20,
      checkpointsChecked: 3,
      latestCheckpoint: { treeSize: 20, rootHash: checkpoints[2]!.rootHash, issuedAt: checkpoints[2]!.issuedAt },
    });
  });

  it('finds entries past the latest checkpoint intact when they chain', async () => {
    await expect(run(entries, checkpoints.slice(0, 2))).resolves.toMatchObject({ intact: true, entriesChecked: 20, checkpointsChecked: 2 });
  });

  it('names an altered entry by its hash first', async () => {
    const altered = entries.map((e) => (e.seq === 7 ? { ...e, payload: '{}' } : e));
    await expect(run(altered)).resolves.toMatchObject({ intact: false, firstBroken: { seq: 7, eventId: 't-1-e7', reason: 'hash_mismatch' } });
  });

  it('catches a suffix rewritten with recomputed hashes and links: root_mismatch at the next checkpoint, with the suspect range', async () => {
    const rewritten = rewriteFrom(entries, 7, { payload: '{"forged":true}' });
    const result = await run(rewritten);
    expect(result).toMatchObject({
      intact: false,
      checkpointsChecked: 1,
      firstBroken: { seq: 12, eventId: 't-1-e12', reason: 'root_mismatch' },
      suspect: { fromSeq: 6, toSeq: 12, checkpoint: checkpoints[1] },
    });
  });

  it('catches a tail cut off after a checkpoint counted it: removed, at the first missing seq', async () => {
    await expect(run(entries.slice(0, 17))).resolves.toMatchObject({
      intact: false,
      entriesChecked: 17,
      firstBroken: { seq: 18, eventId: '', reason: 'removed' },
    });
  });

  it('refuses a checkpoint signed by another key or altered after signing', async () => {
    const forged = checkpointAt(entries, 12, testSigningKey());
    await expect(run(entries, [checkpoints[0]!, { ...forged, keyId: key.keyId }, checkpoints[2]!])).resolves.toMatchObject({
      intact: false,
      firstBroken: { seq: 12, reason: 'bad_signature' },
    });
    await expect(run(entries, [checkpoints[0]!, { ...checkpoints[1]!, treeSize: 13 }])).resolves.toMatchObject({
      firstBroken: { seq: 13, reason: 'bad_signature' },
    });
  });

  it('does not call a forged checkpoint beyond the log evidence of removal', async () => {
    const beyond = { ...checkpointAt(chainOf('t-1', 25), 25, testSigningKey()), keyId: key.keyId };
    await expect(run(entries, [...checkpoints, beyond])).resolves.toMatchObject({ firstBroken: { seq: 21, reason: 'bad_signature' } });
  });
});
