// When does the login-link decider issue a link, invite, or start a session — and when not?
import { decide, evolve, InvalidLoginLinkError, LoginLinkExistsError, type LoginLinkEvent, type LoginLinkState, type MemberSnapshot } from './login-link';

const absent: LoginLinkState = { status: 'absent' };
const member: MemberSnapshot = { subjectId: 's1', role: 'member', active: true };
const removed: MemberSnapshot = { ...member, active: false };
const NOW = 1_700_000_000_000;
const TTL = 15 * 60_000;

const given = (...events: LoginLinkEvent[]): LoginLinkState => events.reduce(evolve, absent);
const issuedAt = (nowMs: number): LoginLinkEvent => ({ type: 'LoginLinkIssued', tenantId: 't1', subjectId: 's1', expiresAtMs: nowMs + TTL });

describe('RequestLoginLink', () => {
  it('issues a link that expires after the TTL to an active member', () => {
    expect(decide({ type: 'RequestLoginLink', tenantId: 't1', member, nowMs: NOW, ttlMs: TTL }, absent)).toEqual([
      { type: 'LoginLinkIssued', tenantId: 't1', subjectId: 's1', expiresAtMs: NOW + TTL },
    ]);
  });

  it('issues nothing for an unknown email', () => {
    expect(decide({ type: 'RequestLoginLink', tenantId: 't1', member: null, nowMs: NOW, ttlMs: TTL }, absent)).toEqual([]);
  });

  it('issues nothing for a removed member', () => {
    expect(decide({ type: 'RequestLoginLink', tenantId: 't1', member: removed, nowMs: NOW, ttlMs: TTL }, absent)).toEqual([]);
  });

  it('refuses to reissue an existing link', () => {
    expect(() => decide({ type: 'RequestLoginLink', tenantId: 't1', member, nowMs: NOW, ttlMs: TTL }, given(issuedAt(NOW)))).toThrow(
      LoginLinkExistsError,
    );
  });
});

describe('InviteMember', () => {
  it('records the invitation and issues its link', () => {
    const admin: MemberSnapshot = { subjectId: 's1', role: 'admin', active: true };
    expect(decide({ type: 'InviteMember', tenantId: 't1', member: admin, nowMs: NOW, ttlMs: TTL }, absent)).toEqual([
      { type: 'InvitationSent', tenantId: 't1', subjectId: 's1', role: 'admin' },
      { type: 'LoginLinkIssued', tenantId: 't1', subjectId: 's1', expiresAtMs: NOW + TTL },
    ]);
  });

  it('sends nothing again once the invitation was issued (redelivery)', () => {
    const state = given(...decide({ type: 'InviteMember', tenantId: 't1', member, nowMs: NOW, ttlMs: TTL }, absent));
    expect(decide({ type: 'InviteMember', tenantId: 't1', member, nowMs: NOW + 1, ttlMs: TTL }, state)).toEqual([]);
  });

  it('sends nothing to a member removed before the invitation went out', () => {
    expect(decide({ type: 'InviteMember', tenantId: 't1', member: removed, nowMs: NOW, ttlMs: TTL }, absent)).toEqual([]);
  });
});

describe('ExchangeLoginLink', () => {
  const exchange = (state: LoginLinkState, nowMs: number, who: MemberSnapshot | null = member) =>
    decide({ type: 'ExchangeLoginLink', sessionId: 'sess-1', member: who, nowMs }, state);

  it('starts a session with the role the member holds now', () => {
    const promoted: MemberSnapshot = { ...member, role: 'auditor' };
    expect(exchange(given(issuedAt(NOW)), NOW + 1000, promoted)).toEqual([
      { type: 'SessionStarted', tenantId: 't1', subjectId: 's1', sessionId: 'sess-1', role: 'auditor' },
    ]);
  });

  it('accepts the link until the last millisecond before expiry', () => {
    expect(exchange(given(issuedAt(NOW)), NOW + TTL - 1)).toHaveLength(1);
  });

  it.each([
    ['unknown', absent, NOW, member],
    ['expired', given(issuedAt(NOW)), NOW + TTL, member],
    ['used', given(issuedAt(NOW), { type: 'SessionStarted', tenantId: 't1', subjectId: 's1', sessionId: 'x', role: 'member' }), NOW + 1, member],
    ['for a removed member', given(issuedAt(NOW)), NOW + 1, removed],
    ['for a member the projection no longer knows', given(issuedAt(NOW)), NOW + 1, null],
    ['presented with another member', given(issuedAt(NOW)), NOW + 1, { ...member, subjectId: 's2' }],
  ] as const)('rejects a link that is %s with one and the same error', (_case, state, nowMs, who) => {
    expect(() => exchange(state, nowMs, who)).toThrow(new InvalidLoginLinkError());
  });
});
