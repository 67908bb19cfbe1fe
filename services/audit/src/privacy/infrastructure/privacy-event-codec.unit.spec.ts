// Does every privacy event survive the trip through auditV1.AuditEvent bytes, under the audit.<Name> envelope type, and do the trail-access cases decode as "not a privacy event"?
import { auditV1 } from '@enclave/proto';
import type { PrivacyEvent } from '../domain/privacy-events';
import { decodePrivacyEvent, encodePrivacyEvent, envelopeType } from './privacy-event-codec';

const all: PrivacyEvent[] = [
  { type: 'ConsentGranted', subjectId: 's', purpose: 'marketing_email', textVersion: 'v1' },
  { type: 'ConsentWithdrawn', subjectId: 's', purpose: 'marketing_email', textVersion: 'v1' },
  { type: 'DataSubjectRequestOpened', requestId: 'r', subjectId: 's', kind: 'erasure', dueAtMs: 1_800_000_000_000 },
  { type: 'DataSubjectRequestCompleted', requestId: 'r', subjectId: 's', kind: 'access', outcome: 'fulfilled' },
  { type: 'ProcessingRestricted', subjectId: 's', requestId: 'r', kind: 'objection' },
  { type: 'ProcessingRestrictionLifted', subjectId: 's' },
  { type: 'ErasureRequested', requestId: 'r', subjectId: 's', graceEndsAtMs: 1_800_000_000_000 },
  { type: 'ErasureCancelled', requestId: 'r', subjectId: 's' },
  { type: 'SubjectPurgeRequested', requestId: 'r', subjectId: 's' },
  { type: 'SubjectErased', requestId: 'r', subjectId: 's', confirmedBy: ['auth', 'tenant'], requestedAtMs: 1, completedAtMs: 2 },
  { type: 'SubjectDataExported', requestId: 'r', subjectId: 's', services: ['auth'], documentSha256: 'ab'.repeat(32) },
  { type: 'SubjectDataExported', requestId: 'r', subjectId: 's', services: ['auth'], documentSha256: 'ab'.repeat(32), onBehalf: { reason: 'legal_obligation', messagesReturned: 0 } },
  { type: 'BreachIncidentRecorded', incidentId: 'i', detectedAtMs: 1_800_000_000_000, notifyByMs: 1_800_259_200_000, severity: 'high', affectedSubjectCount: 40 },
  { type: 'BreachIncidentResolved', incidentId: 'i' },
];

describe('privacy event codec', () => {
  it.each(all.map((e) => [e.type, e] as const))('round-trips %s', (_type, event) => {
    expect(decodePrivacyEvent(encodePrivacyEvent(event))).toEqual(event);
    expect(envelopeType(event)).toBe(`audit.${event.type}`);
  });

  it('decodes a trail-access event as no privacy event', () => {
    const bytes = auditV1.AuditEvent.encode({ event: { $case: 'auditExported', value: { fromSeq: 1, toSeq: 2, checkpointTreeSize: 2 } } }).finish();
    expect(decodePrivacyEvent(bytes)).toBeUndefined();
  });
});
