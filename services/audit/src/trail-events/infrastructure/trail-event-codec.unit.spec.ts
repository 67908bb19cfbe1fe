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

  it('encodes AuditLogVerified', () => {
    const bytes = encodeTrailEvent({ type: 'AuditLogVerified', intact: false, entriesChecked: 9, firstBrokenSeq: 4 });
    expect(auditV1.AuditEvent.decode(bytes).event).toEqual({
      $case: 'auditLogVerified',
      value: { intact: false, entriesChecked: 9, firstBrokenSeq: 4 },
    });
  });

  it('names envelope types audit.<Event>', () => {
    expect(envelopeType({ type: 'AuditLogVerified', intact: true, entriesChecked: 0, firstBrokenSeq: 0 })).toBe('audit.AuditLogVerified');
  });
});
