// Does an export give a bundle the offline verifier accepts (signing a checkpoint first when needed), carry the tampering the store holds, refuse impossible ranges, and record itself?
import { ValidationError } from '@enclave/platform';
import { auditWorld, auditor, TENANT } from '../../test-support/audit-world.helper.spec';
import { parseBundle } from '../domain/parse-bundle';
import { verifyBundle } from '../domain/verify-bundle';

const offline = (bundle: unknown) => verifyBundle(parseBundle(JSON.parse(JSON.stringify(bundle))));

describe('ExportBundle', () => {
  it('exports the whole log, signing a checkpoint that covers it, and records the export', async () => {
    const w = auditWorld();
    await w.fill(1, 30);
    const bundle = await w.exportBundle.execute(TENANT, { fromSeq: 1 }, auditor);
    expect(bundle).toMatchObject({ format: 'enclave-audit-bundle/v1', tenantId: TENANT, fromSeq: 1, toSeq: 30, publicKey: { keyId: w.key.keyId, spki: w.key.published.spki } });
    expect(bundle.checkpoints.map((c) => c.treeSize)).toEqual([30]);
    expect(offline(bundle)).toMatchObject({ intact: true, entriesChecked: 30, rootsRecomputed: 1 });
    expect(w.accesses.types()).toEqual(['AuditCheckpointSigned', 'AuditExported']);
    expect(w.accesses.appended[1]!.events).toEqual([{ type: 'AuditExported', fromSeq: 1, toSeq: 30, checkpointTreeSize: 30 }]);
  });

  it('exports a range across blocks with inclusion and consistency proofs that verify offline', async () => {
    const w = auditWorld(100);
    await w.fill(1, 400);
    await w.makeCheckpoint.execute(TENANT, 'request', auditor);
    await w.fill(401, 600);
    await w.makeCheckpoint.execute(TENANT, 'request', auditor);
    const bundle = await w.exportBundle.execute(TENANT, { fromSeq: 250, toSeq: 450 }, auditor);
    expect(bundle.checkpoints.map((c) => c.treeSize)).toEqual([400, 600]);
    expect(offline(bundle)).toMatchObject({ intact: true, entriesChecked: 201, inclusionProofsVerified: 201, consistencyProofsVerified: 1 });
  });

  it('exports what the store holds: an entry altered there is named offline', async () => {
    const w = auditWorld();
    await w.fill(1, 20);
    await w.makeCheckpoint.execute(TENANT, 'request', auditor);
    w.entry(8).payload = '{"forged":true}';
    expect(offline(await w.exportBundle.execute(TENANT, { fromSeq: 5, toSeq: 12 }, auditor)).failure).toMatchObject({ seq: 8, reason: 'hash_mismatch' });
  });

  it('refuses an empty log and ranges beyond it', async () => {
    const w = auditWorld();
    await expect(w.exportBundle.execute(TENANT, { fromSeq: 1 }, auditor)).rejects.toBeInstanceOf(ValidationError);
    await w.fill(1, 5);
    await expect(w.exportBundle.execute(TENANT, { fromSeq: 6 }, auditor)).rejects.toThrow('fromSeq 6 is beyond it');
    await expect(w.exportBundle.execute(TENANT, { fromSeq: 2, toSeq: 9 }, auditor)).rejects.toThrow('toSeq 9 is beyond it');
  });
});
