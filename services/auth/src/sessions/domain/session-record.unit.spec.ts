// Does a refresh re-check the sign-in and the current membership, end a replayed or orphaned
// sign-in, and date its access token so a role change's not-before cannot refuse it?
import type { MemberSnapshot } from '../../login-links/domain/login-link';
import { accessExpiresAtMs, accessIssuedAtMs, decideRefresh, type SessionRecord } from './session-record';

const record = (over: Partial<SessionRecord> = {}): SessionRecord => ({
  sessionId: 'sid',
  tenantId: 't1',
  subjectId: 's1',
  createdAtMs: 1_000_000,
  refreshedAtMs: 1_000_000,
  expiresAtMs: 50_000_000,
  notBeforeMs: 0,
  revokedAtMs: null,
  refreshHash: 'h1',
  previousRefreshHash: 'h0',
  ...over,
});
const admin: MemberSnapshot = { subjectId: 's1', role: 'admin', active: true };
const NOW = 2_000_500;

describe('decideRefresh', () => {
  it('gives the current role of an active member with the current token', () => {
    expect(decideRefresh(record(), 'h1', { ...admin, role: 'member' }, NOW)).toEqual({ ok: true, role: 'member', issuedAtMs: 2_000_000 });
  });

  it('refuses unknown, revoked and ended sign-ins without revoking anything', () => {
    expect(decideRefresh(null, 'h1', admin, NOW)).toEqual({ ok: false, reason: 'unknown', revoke: false });
    expect(decideRefresh(record({ revokedAtMs: 1 }), 'h1', admin, NOW)).toEqual({ ok: false, reason: 'revoked', revoke: false });
    expect(decideRefresh(record({ expiresAtMs: NOW }), 'h1', admin, NOW)).toEqual({ ok: false, reason: 'expired', revoke: false });
  });

  it('ends the sign-in when an old refresh token comes back', () => {
    expect(decideRefresh(record(), 'h0', admin, NOW)).toEqual({ ok: false, reason: 'reused', revoke: true });
    expect(decideRefresh(record(), 'h-older', admin, NOW)).toEqual({ ok: false, reason: 'reused', revoke: true });
  });

  it('refuses the token replaced in the last 10 s without ending the sign-in (another tab refreshed first)', () => {
    const justRotated = record({ refreshedAtMs: NOW - 9_999 });
    expect(decideRefresh(justRotated, 'h0', admin, NOW)).toEqual({ ok: false, reason: 'superseded', revoke: false });
    expect(decideRefresh(justRotated, 'h-older', admin, NOW)).toEqual({ ok: false, reason: 'reused', revoke: true });
    expect(decideRefresh(record({ refreshedAtMs: NOW - 10_000 }), 'h0', admin, NOW)).toEqual({ ok: false, reason: 'reused', revoke: true });
  });

  it('ends the sign-in of a person who is no longer an active member', () => {
    expect(decideRefresh(record(), 'h1', { ...admin, active: false }, NOW)).toEqual({ ok: false, reason: 'not_member', revoke: true });
    expect(decideRefresh(record(), 'h1', null, NOW)).toEqual({ ok: false, reason: 'not_member', revoke: true });
  });
});

describe('access token times', () => {
  it('dates a token to its whole second, or to the second after a not-before in the same second', () => {
    expect(accessIssuedAtMs(2_000_500, 0)).toBe(2_000_000);
    expect(accessIssuedAtMs(2_000_500, 1_999_999)).toBe(2_000_000);
    expect(accessIssuedAtMs(2_000_500, 2_000_200)).toBe(2_001_000);
  });

  it('never lets an access token outlive its sign-in', () => {
    expect(accessExpiresAtMs(1_000, 300_000, 50_000)).toBe(50_000);
    expect(accessExpiresAtMs(1_000, 300_000, 5_000_000)).toBe(301_000);
  });
});
