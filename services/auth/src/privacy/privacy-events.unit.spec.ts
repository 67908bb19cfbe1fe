// Do auth's new events (rectification, purge confirmation, retention, breach notice) survive the topic codec, with nothing personal in them?
import { authV1 } from '@enclave/proto';
import { decodeAuthEvent, encodeAuthEvent, envelopeType } from '../shared/infrastructure/auth-event-codec';
import type { AuthEvent } from '../shared/application/auth-event-log';

const events: AuthEvent[] = [
  { type: 'AccountRectified', tenantId: 't1', subjectId: 's1', fields: ['email', 'display_name'], sealedChanges: 'pf1.k1.AAAA' },
  { type: 'SubjectDataPurged', tenantId: 't1', requestId: 'r1', subjectId: 's1', recordsDeleted: 4 },
  { type: 'RetentionPurged', tenantId: 't1', subjectId: '', dataClass: 'security_logs', cutoffMs: 1_700_000_000_000, recordsDeleted: 12 },
  { type: 'BreachNotificationSent', tenantId: 't1', subjectId: '', incidentId: 'i1', recipients: 2 },
];

describe('privacy events codec', () => {
  it.each(events.map((e) => [e.type, e] as const))('round-trips %s', (_type, event) => {
    expect(decodeAuthEvent('t1', encodeAuthEvent(event))).toEqual(event);
    expect(envelopeType(event)).toBe(`auth.${event.type}`);
  });

  it('puts the proto oneof cases and field names on the wire', () => {
    expect(authV1.AuthEvent.decode(encodeAuthEvent(events[0]!)).event).toEqual({
      $case: 'accountRectified',
      value: { subjectId: 's1', fields: ['email', 'display_name'], sealedChanges: 'pf1.k1.AAAA' },
    });
    expect(authV1.AuthEvent.decode(encodeAuthEvent(events[2]!)).event).toMatchObject({ $case: 'retentionPurged', value: { dataClass: 'security_logs' } });
  });

  it('refuses an unknown rectified field or data class', () => {
    const badField = authV1.AuthEvent.encode({ event: { $case: 'accountRectified', value: { subjectId: 's', fields: ['phone'], sealedChanges: '' } } }).finish();
    const badClass = authV1.AuthEvent.encode({ event: { $case: 'retentionPurged', value: { dataClass: 'chats', cutoffMs: 1, recordsDeleted: 1 } } }).finish();
    expect(() => decodeAuthEvent('t1', badField)).toThrow(/rectified field/);
    expect(() => decodeAuthEvent('t1', badClass)).toThrow(/data class/);
  });
});
