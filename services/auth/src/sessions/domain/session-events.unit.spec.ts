// Does SessionsRevoked survive auth's topic codec, and does every replica read it back as the
// notice its in-memory revocations apply?
import { authV1, TOPICS } from '@enclave/proto';
import { buildEnvelope, decodeEnvelope, defineTopic, encodeEnvelope, tenantId } from '@enclave/eventing';
import { revocationNoticeOf } from '@enclave/session';
import { decodeAuthEvent, encodeAuthEvent, envelopeType } from '../../shared/infrastructure/auth-event-codec';
import type { SessionsRevoked } from './session-events';

const revoked: SessionsRevoked = { type: 'SessionsRevoked', tenantId: 't1', subjectId: 's1', sessionIds: ['a', 'b'], notBeforeMs: 1_700_000_000_123, reason: 'member_removed' };

describe('SessionsRevoked on the auth topic', () => {
  it('round-trips through the codec', () => {
    expect(decodeAuthEvent('t1', encodeAuthEvent(revoked))).toEqual(revoked);
    expect(envelopeType(revoked)).toBe('auth.SessionsRevoked');
  });

  it('refuses an unknown reason', () => {
    const bad = authV1.AuthEvent.encode({ event: { $case: 'sessionsRevoked', value: { subjectId: 's', sessionIds: [], notBeforeMs: 1, reason: 'bored' } } }).finish();
    expect(() => decodeAuthEvent('t1', bad)).toThrow(/revocation reason/);
  });

  it('becomes the notice a replica applies, tenant and time from the envelope; other auth events are none', () => {
    const topic = defineTopic(TOPICS.auth.name, TOPICS.auth.codec);
    const meta = { type: 'auth.SessionsRevoked', tenantId: tenantId('t1'), actor: { kind: 0, id: '', role: '' } };
    const envelope = buildEnvelope(topic, authV1.AuthEvent.decode(encodeAuthEvent(revoked)), meta, { occurredAtMs: 1_700_000_000_500 });
    expect(revocationNoticeOf(decodeEnvelope(topic, encodeEnvelope(envelope)))).toEqual({
      tenantId: 't1', subjectId: 's1', sessionIds: ['a', 'b'], notBeforeMs: 1_700_000_000_123, atMs: 1_700_000_000_500,
    });
    const other = buildEnvelope(topic, { event: { $case: 'accountRegistered', value: { subjectId: 's1' } } }, meta);
    expect(revocationNoticeOf(decodeEnvelope(topic, encodeEnvelope(other)))).toBeNull();
  });
});
