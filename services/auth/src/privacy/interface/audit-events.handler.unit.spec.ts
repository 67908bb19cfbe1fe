// Which audit events make auth purge a person, and which does it ignore or park?
import { PoisonError } from '@enclave/eventing';
import { purgeRequestOf } from './audit-events.handler';

describe('audit event → purge request', () => {
  it('turns SubjectPurgeRequested into a purge of that person in the envelope tenant', () => {
    expect(purgeRequestOf('t1', { event: { $case: 'subjectPurgeRequested', value: { requestId: 'r1', subjectId: 's1' } } })).toEqual({
      tenantId: 't1',
      requestId: 'r1',
      subjectId: 's1',
    });
  });

  it('ignores the other privacy events', () => {
    expect(purgeRequestOf('t1', { event: { $case: 'erasureRequested', value: { requestId: 'r1', subjectId: 's1', graceEndsAtMs: 1 } } } as never)).toBeNull();
    expect(purgeRequestOf('t1', { event: { $case: 'consentGranted', value: {} } } as never)).toBeNull();
  });

  it('parks a purge request without ids, or an event without payload', () => {
    expect(() => purgeRequestOf('t1', { event: { $case: 'subjectPurgeRequested', value: { requestId: '', subjectId: 's1' } } })).toThrow(PoisonError);
    expect(() => purgeRequestOf('t1', { event: undefined })).toThrow(PoisonError);
  });
});
