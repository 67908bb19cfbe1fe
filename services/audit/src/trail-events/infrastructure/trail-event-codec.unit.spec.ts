// Do trail access events encode to the auditV1.AuditEvent payload the audit topic carries?
import { auditV1 } from '@enclave/proto';
import { encodeTrailEvent, envelopeType } from './trail-event-codec';

describe('trail event codec', () => {
  it('encodes AuditTrailQueried', () => {
    const bytes = encodeTrailEvent({ type: 'AuditTrailQueried', filterSummary: '{"limit":5}', resultCount: 3 });
    expect(auditV1.AuditEvent.decode(bytes).event).toEqual({
      $case: 'auditTrailQueried',
      value: { filterSummary: '{"limit":5}', resultCount: 3 },
    });
  });

  it('encodes AuditLogVerified with its range', () => {
    const bytes = encodeTrailEvent({ type: 'AuditLogVerified', intact: false, entriesChecked: 9, firstBrokenSeq: 4, fromSeq: 2, toSeq: 11 });
    expect(auditV1.AuditEvent.decode(bytes).event).toEqual({
      $case: 'auditLogVerified',
      value: { intact: false, entriesChecked: 9, firstBrokenSeq: 4, fromSeq: 2, toSeq: 11 },
    });
  });

  it('encodes AuditCheckpointSigned', () => {
    const bytes = encodeTrailEvent({ type: 'AuditCheckpointSigned', treeSize: 12, rootHash: 'cd'.repeat(32), keyId: 'kid', issuedAtMs: 1_700_000_000_000 });
    expect(auditV1.AuditEvent.decode(bytes).event).toEqual({
      $case: 'auditCheckpointSigned',
      value: { treeSize: 12, rootHash: 'cd'.repeat(32), keyId: 'kid', issuedAtMs: 1_700_000_000_000 },
    });
  });

  it('encodes AuditExported', () => {
    const bytes = encodeTrailEvent({ type: 'AuditExported', fromSeq: 3, toSeq: 8, checkpointTreeSize: 12 });
    expect(auditV1.AuditEvent.decode(bytes).event).toEqual({ $case: 'auditExported', value: { fromSeq: 3, toSeq: 8, checkpointTreeSize: 12 } });
  });

  it('names envelope types audit.<Event>', () => {
    expect(envelopeType({ type: 'AuditExported', fromSeq: 1, toSeq: 1, checkpointTreeSize: 1 })).toBe('audit.AuditExported');
  });
});
