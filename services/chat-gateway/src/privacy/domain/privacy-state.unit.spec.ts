// Who may chat, start conversations, read history or use the API, given erasure and restriction facts in any order?
import { PrivacyRegistry } from '../application/privacy-registry';
import { auditFactOf } from '../interface/audit-events';
import { decideSelfAccess, evolvePrivacy, mergePrivacy, UNRESTRICTED, type SelfAction } from './privacy-state';

const ALL: SelfAction[] = ['chat', 'start_conversation', 'read_history', 'api'];

describe('decideSelfAccess', () => {
  it('lets an unrestricted person do everything', () => {
    for (const action of ALL) expect(decideSelfAccess(UNRESTRICTED, action)).toBeNull();
  });

  it('refuses everything to a frozen (erasure pending) or erased person', () => {
    const frozen = evolvePrivacy(UNRESTRICTED, { type: 'ErasureRequested', atMs: 10 });
    const erased = evolvePrivacy(UNRESTRICTED, { type: 'SubjectPurged', atMs: 10 });
    for (const action of ALL) {
      expect(decideSelfAccess(frozen, action)).toBe('account_frozen');
      expect(decideSelfAccess(erased, action)).toBe('account_frozen');
    }
  });

  it('refuses new processing to a restricted person but lets them read their history', () => {
    const restricted = evolvePrivacy(UNRESTRICTED, { type: 'ProcessingRestricted', atMs: 10 });
    expect(decideSelfAccess(restricted, 'chat')).toBe('processing_restricted');
    expect(decideSelfAccess(restricted, 'start_conversation')).toBe('processing_restricted');
    expect(decideSelfAccess(restricted, 'api')).toBe('processing_restricted');
    expect(decideSelfAccess(restricted, 'read_history')).toBeNull();
  });

  it('frozen wins over restricted', () => {
    const both = evolvePrivacy(evolvePrivacy(UNRESTRICTED, { type: 'ProcessingRestricted', atMs: 1 }), { type: 'ErasureRequested', atMs: 2 });
    expect(decideSelfAccess(both, 'read_history')).toBe('account_frozen');
  });
});

describe('evolvePrivacy / mergePrivacy', () => {
  it('cancel and lift restore access', () => {
    let state = evolvePrivacy(UNRESTRICTED, { type: 'ErasureRequested', atMs: 1 });
    state = evolvePrivacy(state, { type: 'ErasureCancelled', atMs: 2 });
    state = evolvePrivacy(state, { type: 'ProcessingRestricted', atMs: 3 });
    state = evolvePrivacy(state, { type: 'ProcessingRestrictionLifted', atMs: 4 });
    for (const action of ALL) expect(decideSelfAccess(state, action)).toBeNull();
  });

  it('ignores an older fact per flag, not across flags', () => {
    let state = evolvePrivacy(UNRESTRICTED, { type: 'ErasureCancelled', atMs: 20 });
    state = evolvePrivacy(state, { type: 'ErasureRequested', atMs: 10 });
    expect(state.frozen).toBe(false);
    state = evolvePrivacy(state, { type: 'ProcessingRestricted', atMs: 5 });
    expect(state.restricted).toBe(true);
  });

  it('a reloaded row never overrides a newer in-memory fact, but fills what memory lacks', () => {
    const memory = evolvePrivacy(UNRESTRICTED, { type: 'ErasureCancelled', atMs: 20 });
    const row = evolvePrivacy(evolvePrivacy(UNRESTRICTED, { type: 'ErasureRequested', atMs: 10 }), { type: 'ProcessingRestricted', atMs: 15 });
    const merged = mergePrivacy(memory, row);
    expect(merged).toMatchObject({ frozen: false, frozenChangedAtMs: 20, restricted: true, restrictedChangedAtMs: 15 });
  });

  it('the registry keeps people apart by tenant', () => {
    const registry = new PrivacyRegistry();
    registry.apply('t1', 's1', { type: 'ErasureRequested', atMs: 1 });
    expect(registry.get('t1', 's1').frozen).toBe(true);
    expect(registry.get('t2', 's1').frozen).toBe(false);
    expect(registry.get('t1', 's2').frozen).toBe(false);
  });
});

describe('auditFactOf', () => {
  it('maps the privacy cases and ignores the rest', () => {
    expect(auditFactOf({ event: { $case: 'erasureRequested', value: { requestId: 'r', subjectId: 's', graceEndsAtMs: 9 } } }, 5))
      .toEqual({ kind: 'change', subjectId: 's', change: { type: 'ErasureRequested', atMs: 5 } });
    expect(auditFactOf({ event: { $case: 'processingRestrictionLifted', value: { subjectId: 's' } } }, 6))
      .toEqual({ kind: 'change', subjectId: 's', change: { type: 'ProcessingRestrictionLifted', atMs: 6 } });
    expect(auditFactOf({ event: { $case: 'subjectPurgeRequested', value: { requestId: 'r1', subjectId: 's' } } }, 7))
      .toEqual({ kind: 'purge', subjectId: 's', requestId: 'r1' });
    expect(auditFactOf({ event: { $case: 'consentGranted', value: { subjectId: 's', purpose: 'p', textVersion: 'v' } } }, 7)).toBeUndefined();
    expect(auditFactOf({ event: undefined }, 7)).toBeUndefined();
  });
});
