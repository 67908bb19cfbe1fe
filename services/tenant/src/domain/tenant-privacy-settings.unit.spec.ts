// Does the decider validate, merge and default the retention periods and the logging notice version, and does PurgeMember remove anyone (the owner too) exactly once?
import type { TenantCommand } from './tenant-commands';
import { decide, fold } from './tenant-decider';
import { InvalidSettingsError } from './tenant-errors';
import type { TenantEvent } from './tenant-events';
import { effectiveRetention, type TenantSettings } from './tenant-settings';
import { initialTenantState } from './tenant-state';

const OWNER = 'subj-owner';
const ALICE = 'subj-alice';
const base: TenantSettings = {
  instanceName: 'Acme',
  systemInstruction: '',
  messageLogging: false,
  privacyPolicyUrl: '',
  defaultModel: 'gpt-4o-mini',
  allowedModels: [],
  messageLoggingNoticeVersion: '',
};
const created: TenantEvent[] = [
  { type: 'InstanceCreated', instanceName: 'Acme', ownerSubjectId: OWNER },
  { type: 'MemberAdded', subjectId: OWNER, role: 'owner' },
  { type: 'SettingsChanged', settings: base },
  { type: 'MemberAdded', subjectId: ALICE, role: 'admin' },
];
const state = (...more: TenantEvent[]) => fold(initialTenantState, [...created, ...more]);
const change = (changes: Extract<TenantCommand, { type: 'ChangeSettings' }>['changes']): TenantCommand => ({ type: 'ChangeSettings', changes });
const settingsAfter = (command: TenantCommand, s = state()) => {
  const [event] = decide(command, s);
  if (event?.type !== 'SettingsChanged') throw new Error('expected SettingsChanged');
  return event.settings;
};

describe('retention', () => {
  it('is unset on a new instance, and the defaults are in force', () => {
    expect(state().settings.retention).toBeUndefined();
    expect(effectiveRetention(state().settings)).toEqual({ conversationDays: 0, securityLogDays: 90, usageDetailDays: 365 });
  });
  it('changes one period and keeps the others at their current value', () => {
    const first = settingsAfter(change({ retention: { usageDetailDays: 30 } }));
    expect(first.retention).toEqual({ conversationDays: 0, securityLogDays: 90, usageDetailDays: 30 });
    const second = settingsAfter(change({ retention: { conversationDays: 3650 } }), state({ type: 'SettingsChanged', settings: first }));
    expect(second.retention).toEqual({ conversationDays: 3650, securityLogDays: 90, usageDetailDays: 30 });
  });
  it('yields no event when the periods are already those', () => {
    expect(decide(change({ retention: { securityLogDays: 90 } }), state({ type: 'SettingsChanged', settings: { ...base, retention: { conversationDays: 0, securityLogDays: 90, usageDetailDays: 365 } } }))).toEqual([]);
  });
  it.each([
    [{ conversationDays: -1 }],
    [{ conversationDays: 3651 }],
    [{ conversationDays: 1.5 }],
    [{ securityLogDays: 0 }],
    [{ securityLogDays: 3651 }],
    [{ usageDetailDays: 29 }],
    [{ usageDetailDays: 3651 }],
  ])('refuses %j', (retention) => {
    expect(() => decide(change({ retention }), state())).toThrow(InvalidSettingsError);
  });
  it.each([[{ conversationDays: 0 }], [{ conversationDays: 1 }], [{ securityLogDays: 1 }], [{ usageDetailDays: 30 }], [{ usageDetailDays: 3650 }]])(
    'accepts the edge %j',
    (retention) => {
      expect(() => decide(change({ retention }), state())).not.toThrow();
    },
  );
});

describe('message logging notice version', () => {
  it('defaults to "1" when logging is switched on without one', () => {
    expect(settingsAfter(change({ messageLogging: true })).messageLoggingNoticeVersion).toBe('1');
  });
  it('takes the version given, and a new version alone is a change', () => {
    const on = settingsAfter(change({ messageLogging: true, messageLoggingNoticeVersion: '2025-06' }));
    expect(on.messageLoggingNoticeVersion).toBe('2025-06');
    const bumped = settingsAfter(change({ messageLoggingNoticeVersion: 'v2' }), state({ type: 'SettingsChanged', settings: on }));
    expect(bumped).toEqual({ ...on, messageLoggingNoticeVersion: 'v2' });
  });
  it('is cleared when logging is switched off', () => {
    const on = { ...base, messageLogging: true, messageLoggingNoticeVersion: '3' };
    expect(settingsAfter(change({ messageLogging: false }), state({ type: 'SettingsChanged', settings: on })).messageLoggingNoticeVersion).toBe('');
  });
  it('gives "1" to a tenant whose logging was on before versions existed, at its next change', () => {
    const legacy = { ...base, messageLogging: true };
    expect(settingsAfter(change({ instanceName: 'Renamed' }), state({ type: 'SettingsChanged', settings: legacy })).messageLoggingNoticeVersion).toBe('1');
  });
  it('refuses a version while logging stays off, and a malformed one', () => {
    expect(() => decide(change({ messageLoggingNoticeVersion: '2' }), state())).toThrow(/must be empty while messageLogging is off/);
    expect(() => decide(change({ messageLogging: true, messageLoggingNoticeVersion: 'has space' }), state())).toThrow(InvalidSettingsError);
  });
});

describe('PurgeMember', () => {
  it('removes a member', () => {
    expect(decide({ type: 'PurgeMember', subjectId: ALICE }, state())).toEqual([{ type: 'MemberRemoved', subjectId: ALICE }]);
  });
  it('removes the owner too: the instance then has no owner, its admins and settings stay', () => {
    const events = decide({ type: 'PurgeMember', subjectId: OWNER }, state());
    expect(events).toEqual([{ type: 'MemberRemoved', subjectId: OWNER }]);
    const after = fold(state(), events);
    expect(after.ownerSubjectId).toBe('');
    expect([...after.members]).toEqual([[ALICE, 'admin']]);
    expect(after.created).toBe(true);
    expect(decide(change({ instanceName: 'Still usable' }), after)).toHaveLength(1);
  });
  it('does nothing for someone not (or no longer) a member, or an unknown tenant', () => {
    expect(decide({ type: 'PurgeMember', subjectId: 'subj-nobody' }, state())).toEqual([]);
    expect(decide({ type: 'PurgeMember', subjectId: ALICE }, state({ type: 'MemberRemoved', subjectId: ALICE }))).toEqual([]);
    expect(decide({ type: 'PurgeMember', subjectId: ALICE }, initialTenantState)).toEqual([]);
  });
  it('leaves the state alone for the confirmation events', () => {
    const before = state();
    const after = fold(before, [
      { type: 'SubjectDataPurged', requestId: 'r', subjectId: ALICE, recordsDeleted: 1 },
      { type: 'RetentionPurged', dataClass: 'x', cutoffMs: 1, recordsDeleted: 1 },
    ]);
    expect(after).toBe(before);
  });
});
