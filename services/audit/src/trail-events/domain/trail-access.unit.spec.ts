// Which event records a query or a verification of the audit log?
import { decide } from './trail-access';

describe('trail access decider', () => {
  it('records a query with its filter and how many entries it returned', () => {
    expect(decide({ type: 'RecordTrailQuery', filterSummary: '{"limit":100}', resultCount: 7 })).toEqual([
      { type: 'AuditTrailQueried', filterSummary: '{"limit":100}', resultCount: 7 },
    ]);
  });

  it('records an intact verification with firstBrokenSeq 0', () => {
    expect(decide({ type: 'RecordVerification', intact: true, entriesChecked: 12 })).toEqual([
      { type: 'AuditLogVerified', intact: true, entriesChecked: 12, firstBrokenSeq: 0 },
    ]);
  });

  it('records a broken verification with the first broken seq', () => {
    expect(
      decide({ type: 'RecordVerification', intact: false, entriesChecked: 5, firstBroken: { seq: 5, reason: 'hash_mismatch' } }),
    ).toEqual([{ type: 'AuditLogVerified', intact: false, entriesChecked: 5, firstBrokenSeq: 5 }]);
  });
});
