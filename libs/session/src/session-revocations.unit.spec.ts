// Does a replica's in-memory revocation list refuse exactly the revoked sessions and the tokens
// issued before a person's not-before, and forget entries once no token they cover can be alive?
import { SessionRevocations } from './session-revocations';

const session = (over: Partial<{ tenantId: string; subjectId: string; sessionId: string; issuedAt: number | undefined }> = {}) => ({
  tenantId: 't1',
  subjectId: 's1',
  sessionId: 'sid-1',
  issuedAt: 1_000_000,
  ...over,
});

function setup(retentionMs = 600_000) {
  let now = 2_000_000;
  const revocations = new SessionRevocations(retentionMs, () => now);
  return { revocations, tick: (ms: number) => (now += ms), now: () => now };
}

describe('SessionRevocations', () => {
  it('refuses a named session and nothing else', () => {
    const { revocations, now } = setup();
    revocations.apply({ tenantId: 't1', subjectId: 's1', sessionIds: ['sid-1'], notBeforeMs: 0, atMs: now() });
    expect(revocations.isRevoked(session())).toBe(true);
    expect(revocations.isRevoked(session({ sessionId: 'sid-2' }))).toBe(false);
  });

  it('refuses tokens issued before the not-before and accepts those issued at or after it', () => {
    const { revocations, now } = setup();
    revocations.apply({ tenantId: 't1', subjectId: 's1', sessionIds: [], notBeforeMs: 1_500_000, atMs: now() });
    expect(revocations.isRevoked(session({ issuedAt: 1_499_000 }))).toBe(true);
    expect(revocations.isRevoked(session({ issuedAt: 1_500_000 }))).toBe(false);
    expect(revocations.isRevoked(session({ issuedAt: undefined }))).toBe(true);
  });

  it('scopes a not-before to its tenant and person', () => {
    const { revocations, now } = setup();
    revocations.apply({ tenantId: 't1', subjectId: 's1', sessionIds: [], notBeforeMs: 1_500_000, atMs: now() });
    expect(revocations.isRevoked(session({ tenantId: 't2' }))).toBe(false);
    expect(revocations.isRevoked(session({ subjectId: 's2' }))).toBe(false);
  });

  it('keeps the later not-before when an older notice arrives after a newer one', () => {
    const { revocations, now } = setup();
    revocations.apply({ tenantId: 't1', subjectId: 's1', sessionIds: [], notBeforeMs: 1_800_000, atMs: now() });
    revocations.apply({ tenantId: 't1', subjectId: 's1', sessionIds: [], notBeforeMs: 1_200_000, atMs: now() });
    expect(revocations.isRevoked(session({ issuedAt: 1_700_000 }))).toBe(true);
  });

  it('ignores notices older than its retention and forgets entries once their retention passed', () => {
    const { revocations, tick, now } = setup(60_000);
    revocations.apply({ tenantId: 't1', subjectId: 's1', sessionIds: ['old'], notBeforeMs: 0, atMs: now() - 60_000 });
    expect(revocations.isRevoked(session({ sessionId: 'old' }))).toBe(false);
    revocations.apply({ tenantId: 't1', subjectId: 's1', sessionIds: ['sid-1'], notBeforeMs: 1_500_000, atMs: now() });
    expect(revocations.size).toBe(2);
    tick(61_000);
    revocations.apply({ tenantId: 't9', subjectId: 's9', sessionIds: ['other'], notBeforeMs: 0, atMs: now() });
    expect(revocations.size).toBe(1);
    expect(revocations.isRevoked(session())).toBe(false);
  });
});
