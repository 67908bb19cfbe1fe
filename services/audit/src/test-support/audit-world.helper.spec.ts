// The audit application wired on in-memory stores, for fast tests of the use cases (no tests here).
import { createLogger } from '@enclave/platform';
import { tenantId, type Actor, type TenantId } from '@enclave/eventing';
import { AppendToLog } from '../log/application/append-to-log';
import { InMemoryAuditLog } from '../log/application/in-memory-audit-log.helper.spec';
import { TenantTrees } from '../merkle/application/tenant-trees';
import { Prove } from '../merkle/application/prove';
import { MakeCheckpoint } from '../checkpoints/application/make-checkpoint';
import { CheckpointScheduler } from '../checkpoints/application/checkpoint-scheduler';
import { CheckpointKey } from '../checkpoints/infrastructure/checkpoint-key';
import { ExportBundle } from '../export/application/export-bundle';
import { RecordTrailAccess } from '../trail-events/application/record-trail-access';
import { VerifyLog } from '../verification/application/verify-log';
import { draftOf, testSigningKey } from './chains.helper.spec';
import { InMemoryCheckpointStore, InMemoryMerkleTreeStore, RecordedAccesses } from './in-memory-stores.helper.spec';

export const auditor: Actor = { kind: 1, id: 'sub-auditor', role: 'auditor' };
export const TENANT: TenantId = tenantId('t-1');

export function auditWorld(pageSize = 7) {
  const log = new InMemoryAuditLog();
  const append = new AppendToLog(log);
  const treeStore = new InMemoryMerkleTreeStore();
  const trees = new TenantTrees(log, treeStore, pageSize);
  const checkpoints = new InMemoryCheckpointStore();
  const signing = testSigningKey();
  const key = new CheckpointKey(signing.privateKey);
  const accesses = new RecordedAccesses();
  const record = new RecordTrailAccess(accesses);
  let now = Date.UTC(2025, 2, 1);
  const clock = () => new Date((now += 1000));
  const logger = createLogger({ service: 'audit-test', level: 'silent' });
  const makeCheckpoint = new MakeCheckpoint({ trees, log, checkpoints, signer: key, record, clock, logger });
  return {
    log,
    append,
    treeStore,
    trees,
    checkpoints,
    signing,
    key,
    accesses,
    makeCheckpoint,
    scheduler: new CheckpointScheduler(log, makeCheckpoint, 0, logger, () => append.takeTouched()),
    verify: new VerifyLog({ log, checkpoints, trees, key: key.verification, pageSize }, record),
    prove: new Prove({ log, trees, checkpoints }),
    exportBundle: new ExportBundle({
      log,
      checkpoints,
      trees,
      makeCheckpoint,
      record,
      publicKey: { keyId: key.keyId, spki: key.published.spki },
      clock,
      pageSize,
    }),
    /** Appends entries numbered from..to (event ids `<tenant>-e<i>`) to the tenant's chain. */
    async fill(from: number, to: number, tenant: string = TENANT): Promise<void> {
      await append.executeBatch(Array.from({ length: to - from + 1 }, (_, i) => draftOf(tenant, from + i)));
    },
    entry(seq: number, tenant: string = TENANT) {
      const found = log.entries.find((e) => e.tenantId === tenant && e.seq === seq);
      if (!found) throw new Error(`no entry ${seq}`);
      return found;
    },
  };
}
