// Which event records a query, a verification, a signed checkpoint or an export of the audit log?
import { decide } from './trail-access';

describe('trail access decider', () => {
  it('records a query with its filter and how many entries it returned', () => {
    expect(decide({ type: 'RecordTrailQuery', filterSummary: '{"limit":100}', resultCount: 7 })).toEqual([
      { type: 'AuditTrailQueried', filterSummary: '{"limit":100}', resultCount: 7 },
    ]);
  });

  it('records an intact verification of the whole log with firstBrokenSeq 0 and no range', () => {
    expect(decide({ type: 'RecordVerification', intact: true, entriesChecked: 12 })).toEqual([
      { type: 'AuditLogVerified', intact: true, entriesChecked: 12, firstBrokenSeq: 0, fromSeq: 0, toSeq: 0 },
    ]);
  });

  it('records a broken verification of a range with the first broken seq', () => {
    expect(
      decide({
        type: 'RecordVerification',
        intact: false,
        entriesChecked: 5,
        firstBroken: { seq: 5, reason: 'hash_mismatch' },
        range: { fromSeq: 3, toSeq: 9 },
      }),
    ).toEqual([{ type: 'AuditLogVerified', intact: false, entriesChecked: 5, firstBrokenSeq: 5, fromSeq: 3, toSeq: 9 }]);
  });

  it('records a signed checkpoint: size, root, key and time', () => {
    expect(decide({ type: 'RecordCheckpoint', treeSize: 40, rootHash: 'ab'.repeat(32), keyId: 'kid', issuedAt: new Date(1_700_000_000_123) })).toEqual([
      { type: 'AuditCheckpointSigned', treeSize: 40, rootHash: 'ab'.repeat(32), keyId: 'kid', issuedAtMs: 1_700_000_000_123 },
    ]);
  });

  it('records an export: range and the checkpoint it is anchored on', () => {
    expect(decide({ type: 'RecordExport', fromSeq: 1, toSeq: 30, checkpointTreeSize: 40 })).toEqual([
      { type: 'AuditExported', fromSeq: 1, toSeq: 30, checkpointTreeSize: 40 },
    ]);
  });
});
