// Which audit events make auth purge a person or notify a breach, and which does it ignore or park?
import { PoisonError } from '@enclave/eventing';
import { auditActionOf, purgeRequestOf } from './audit-events.handler';
import { composeBreachMail } from '../application/breach-mail-content';

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

describe('audit event → breach notice', () => {
  const recorded = (incidentId: string) =>
    ({ event: { $case: 'breachIncidentRecorded', value: { incidentId, detectedAtMs: 1_000, notifyByMs: 1_000 + 72 * 3_600_000, severity: 'high', affectedSubjectCount: 4 } } }) as const;

  it('turns BreachIncidentRecorded into a notice for the envelope tenant; resolving asks nothing', () => {
    expect(auditActionOf('t1', recorded('i1'))).toEqual({ kind: 'breach', input: { tenantId: 't1', incidentId: 'i1', detectedAtMs: 1_000, notifyByMs: 1_000 + 72 * 3_600_000, severity: 'high' } });
    expect(purgeRequestOf('t1', recorded('i1'))).toBeNull();
    expect(auditActionOf('t1', { event: { $case: 'breachIncidentResolved', value: { incidentId: 'i1' } } })).toBeNull();
  });

  it('parks a breach without its incident id', () => {
    expect(() => auditActionOf('t1', recorded(''))).toThrow(PoisonError);
  });

  it('words the notice with incident, detection, severity and deadline; the instance name cannot break lines', () => {
    const mail = composeBreachMail({ instanceName: 'Acme\r\nBcc: x', incidentId: 'i1', detectedAtMs: Date.UTC(2026, 0, 1), notifyByMs: Date.UTC(2026, 0, 4), severity: 'high' });
    expect(mail.subject).toBe('Personal data breach recorded on your Enclave instance');
    expect(mail.text).toContain('"Acme Bcc: x"');
    expect(mail.text).toContain('Incident: i1');
    expect(mail.text).toContain('Detected at: 2026-01-01T00:00:00.000Z');
    expect(mail.text).toContain('Severity: high');
    expect(mail.text).toContain('Notify by: 2026-01-04T00:00:00.000Z');
  });
});
