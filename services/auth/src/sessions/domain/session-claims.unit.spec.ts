// Do session claims carry the platform's contract (sub, tid, role, sid, iss, aud, iat, exp)?
import { sessionClaims } from './session-claims';

describe('session claims', () => {
  it('issues enclave-auth → enclave claims that expire after the TTL, in seconds', () => {
    const claims = sessionClaims({ subjectId: 's1', tenantId: 't1', role: 'admin', sessionId: 'sid', nowMs: 1_700_000_000_900, ttlMs: 12 * 3_600_000 });
    expect(claims).toEqual({ sub: 's1', tid: 't1', role: 'admin', sid: 'sid', iss: 'enclave-auth', aud: 'enclave', iat: 1_700_000_000, exp: 1_700_000_000 + 43_200 });
  });

  it('never issues a session that is already expired', () => {
    const claims = sessionClaims({ subjectId: 's', tenantId: 't', role: 'member', sessionId: 'x', nowMs: 0, ttlMs: 10 });
    expect(claims.exp).toBeGreaterThan(claims.iat);
  });
});
