// Does the tenant decider emit the right events, and refuse with the right typed error, for every command?
import type { TenantCommand } from './tenant-commands';
import { decide, fold } from './tenant-decider';
import {
  CannotRemoveOwnerError,
  InstanceAlreadyExistsError,
  InvalidSettingsError,
  MemberAlreadyAddedError,
  UnknownMemberError,
  UnknownTenantError,
} from './tenant-errors';
import type { TenantEvent } from './tenant-events';
import type { TenantSettings } from './tenant-settings';
import { initialTenantState } from './tenant-state';

const OWNER = 'subj-owner';
const ALICE = 'subj-alice';

function given(...events: TenantEvent[]) {
  const state = fold(initialTenantState, events);
  return {
    when: (command: TenantCommand) => ({
      then: (expected: TenantEvent[]) => expect(decide(command, state)).toEqual(expected),
      thenThrows: (error: new (...args: never[]) => Error) => expect(() => decide(command, state)).toThrow(error),
    }),
  };
}

const settings = (overrides: Partial<TenantSettings> = {}): TenantSettings => ({
  instanceName: 'Acme',
  systemInstruction: '',
  messageLogging: false,
  privacyPolicyUrl: '',
  defaultModel: 'gpt-4o-mini',
  allowedModels: [],
  messageLoggingNoticeVersion: overrides.messageLogging ? '1' : '',
  ...overrides,
});

const created: TenantEvent[] = [
  { type: 'InstanceCreated', instanceName: 'Acme', ownerSubjectId: OWNER },
  { type: 'MemberAdded', subjectId: OWNER, role: 'owner' },
  { type: 'SettingsChanged', settings: settings() },
];

const create = (overrides: Partial<{ instanceName: string; defaultModel: string }> = {}): TenantCommand => ({
  type: 'CreateInstance',
  tenantId: 't1',
  instanceName: 'Acme',
  ownerSubjectId: OWNER,
  defaultModel: 'gpt-4o-mini',
  ...overrides,
});

describe('CreateInstance', () => {
  it('creates the instance, makes the creator owner and sets default settings, in that order', () => {
    given().when(create()).then(created);
  });
  it('refuses a second creation of the same tenant', () => {
    given(...created).when(create()).thenThrows(InstanceAlreadyExistsError);
  });
  it.each([[''], ['   '], ['x'.repeat(101)]])('refuses instance name %j', (instanceName) => {
    given().when(create({ instanceName })).thenThrows(InvalidSettingsError);
  });
  it('accepts a 100-character instance name', () => {
    const name = 'n'.repeat(100);
    expect(decide(create({ instanceName: name }), initialTenantState)[0]).toEqual({
      type: 'InstanceCreated',
      instanceName: name,
      ownerSubjectId: OWNER,
    });
  });
  it('refuses a configured default model with forbidden characters', () => {
    given().when(create({ defaultModel: 'gpt 4' })).thenThrows(InvalidSettingsError);
  });
});

describe('AddMember', () => {
  it('adds a member with the given role', () => {
    given(...created)
      .when({ type: 'AddMember', subjectId: ALICE, role: 'member' })
      .then([{ type: 'MemberAdded', subjectId: ALICE, role: 'member' }]);
  });
  it('is idempotent: re-adding with the same role yields no event', () => {
    given(...created, { type: 'MemberAdded', subjectId: ALICE, role: 'auditor' })
      .when({ type: 'AddMember', subjectId: ALICE, role: 'auditor' })
      .then([]);
  });
  it('refuses re-adding a member with another role', () => {
    given(...created, { type: 'MemberAdded', subjectId: ALICE, role: 'member' })
      .when({ type: 'AddMember', subjectId: ALICE, role: 'admin' })
      .thenThrows(MemberAlreadyAddedError);
  });
  it('refuses giving the owner another role', () => {
    given(...created).when({ type: 'AddMember', subjectId: OWNER, role: 'admin' }).thenThrows(MemberAlreadyAddedError);
  });
  it('adds again someone who was removed', () => {
    given(...created, { type: 'MemberAdded', subjectId: ALICE, role: 'member' }, { type: 'MemberRemoved', subjectId: ALICE })
      .when({ type: 'AddMember', subjectId: ALICE, role: 'member' })
      .then([{ type: 'MemberAdded', subjectId: ALICE, role: 'member' }]);
  });
  it('refuses an unknown tenant', () => {
    given().when({ type: 'AddMember', subjectId: ALICE, role: 'member' }).thenThrows(UnknownTenantError);
  });
});

describe('RemoveMember', () => {
  it('removes a member', () => {
    given(...created, { type: 'MemberAdded', subjectId: ALICE, role: 'admin' })
      .when({ type: 'RemoveMember', subjectId: ALICE })
      .then([{ type: 'MemberRemoved', subjectId: ALICE }]);
  });
  it('refuses removing the owner', () => {
    given(...created).when({ type: 'RemoveMember', subjectId: OWNER }).thenThrows(CannotRemoveOwnerError);
  });
  it('refuses removing someone who is not a member', () => {
    given(...created).when({ type: 'RemoveMember', subjectId: ALICE }).thenThrows(UnknownMemberError);
  });
  it('refuses removing twice', () => {
    given(...created, { type: 'MemberAdded', subjectId: ALICE, role: 'member' }, { type: 'MemberRemoved', subjectId: ALICE })
      .when({ type: 'RemoveMember', subjectId: ALICE })
      .thenThrows(UnknownMemberError);
  });
  it('refuses an unknown tenant', () => {
    given().when({ type: 'RemoveMember', subjectId: ALICE }).thenThrows(UnknownTenantError);
  });
});

describe('ChangeSettings', () => {
  const change = (changes: Partial<TenantSettings>): TenantCommand => ({ type: 'ChangeSettings', changes });

  it('emits the full settings after a partial change', () => {
    given(...created)
      .when(change({ systemInstruction: 'Be brief.', messageLogging: true }))
      .then([{ type: 'SettingsChanged', settings: settings({ systemInstruction: 'Be brief.', messageLogging: true }) }]);
  });
  it('keeps earlier changes when applying later ones', () => {
    given(...created, { type: 'SettingsChanged', settings: settings({ messageLogging: true }) })
      .when(change({ privacyPolicyUrl: 'https://acme.example/privacy' }))
      .then([{ type: 'SettingsChanged', settings: settings({ messageLogging: true, privacyPolicyUrl: 'https://acme.example/privacy' }) }]);
  });
  it('renames the instance', () => {
    given(...created).when(change({ instanceName: 'Acme Corp' })).then([{ type: 'SettingsChanged', settings: settings({ instanceName: 'Acme Corp' }) }]);
  });
  it('yields no event when nothing changes', () => {
    given(...created).when(change({ messageLogging: false, defaultModel: 'gpt-4o-mini' })).then([]);
  });
  it('accepts allowed models that include the default, and http://localhost policy URLs', () => {
    const next = settings({ allowedModels: ['gpt-4o-mini', 'llama3.1:8b', 'org/model-v1_2'], privacyPolicyUrl: 'http://localhost:3000/p' });
    given(...created).when(change(next)).then([{ type: 'SettingsChanged', settings: next }]);
  });
  it('accepts a system instruction of exactly 20000 characters', () => {
    const next = settings({ systemInstruction: 's'.repeat(20_000) });
    given(...created).when(change(next)).then([{ type: 'SettingsChanged', settings: next }]);
  });
  it.each<[string, Partial<TenantSettings>]>([
    ['a system instruction over 20000 characters', { systemInstruction: 's'.repeat(20_001) }],
    ['a plain-http policy URL', { privacyPolicyUrl: 'http://acme.example/privacy' }],
    ['a non-URL policy', { privacyPolicyUrl: 'privacy page' }],
    ['a javascript: policy URL', { privacyPolicyUrl: 'javascript:alert(1)' }],
    ['a policy URL with credentials', { privacyPolicyUrl: 'https://u:p@acme.example/' }],
    ['a model name with a space', { defaultModel: 'gpt 4o' }],
    ['an empty default model', { defaultModel: '' }],
    ['a model name over 100 characters', { defaultModel: 'm'.repeat(101) }],
    ['an invalid allowed model', { allowedModels: ['gpt-4o-mini', 'bad model'] }],
    ['repeated allowed models', { allowedModels: ['gpt-4o-mini', 'gpt-4o-mini'] }],
    ['a default outside the allowed models', { allowedModels: ['gpt-4o'] }],
    ['a blank instance name', { instanceName: ' ' }],
    ['an instance name over 100 characters', { instanceName: 'x'.repeat(101) }],
  ])('refuses %s', (_label, changes) => {
    given(...created).when(change(changes)).thenThrows(InvalidSettingsError);
  });
  it('names the broken rule without echoing the value', () => {
    const state = fold(initialTenantState, created);
    expect(() => decide(change({ privacyPolicyUrl: 'http://secret-host.example' }), state)).toThrow(
      /privacyPolicyUrl must be an https URL/,
    );
    try {
      decide(change({ privacyPolicyUrl: 'http://secret-host.example' }), state);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-host');
    }
  });
  it('refuses an unknown tenant', () => {
    given().when(change({ messageLogging: true })).thenThrows(UnknownTenantError);
  });
});

describe('evolve', () => {
  it('folds the creation, members and settings into the state', () => {
    const state = fold(initialTenantState, [
      ...created,
      { type: 'MemberAdded', subjectId: ALICE, role: 'auditor' },
      { type: 'SettingsChanged', settings: settings({ instanceName: 'Renamed', messageLogging: true }) },
    ]);
    expect(state.created).toBe(true);
    expect(state.ownerSubjectId).toBe(OWNER);
    expect(state.instanceName).toBe('Renamed');
    expect([...state.members]).toEqual([
      [OWNER, 'owner'],
      [ALICE, 'auditor'],
    ]);
    expect(state.settings.messageLogging).toBe(true);
  });
  it('does not mutate the state it folds from', () => {
    const before = fold(initialTenantState, created);
    fold(before, [{ type: 'MemberAdded', subjectId: ALICE, role: 'member' }]);
    expect(before.members.has(ALICE)).toBe(false);
    expect(initialTenantState.created).toBe(false);
  });
});
