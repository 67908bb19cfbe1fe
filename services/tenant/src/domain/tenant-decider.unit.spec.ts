// Does the tenant decider emit the right events, and refuse with the right typed error, for every command?
import type { TenantCommand } from './tenant-commands';
import { decide, fold } from './tenant-decider';
import {
  CannotRemoveOwnerError,
  InstanceAlreadyExistsError,
  InvalidSettingsError,
  MemberAlreadyAddedError,
  NotAMemberError,
  RankTooLowError,
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

const ADMIN = 'subj-admin';
const ADMIN_2 = 'subj-admin-2';
const MEMBER = 'subj-member';
const AUDITOR = 'subj-auditor';

/** A tenant with two admins, a member and an auditor besides its owner. */
const withAdmins: TenantEvent[] = [
  ...created,
  { type: 'MemberAdded', subjectId: ADMIN, role: 'admin' },
  { type: 'MemberAdded', subjectId: ADMIN_2, role: 'admin' },
  { type: 'MemberAdded', subjectId: MEMBER, role: 'member' },
  { type: 'MemberAdded', subjectId: AUDITOR, role: 'auditor' },
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
  const add = (subjectId: string, role: 'admin' | 'member' | 'auditor', by = OWNER): TenantCommand => ({ type: 'AddMember', subjectId, role, by });

  it('adds a member with the given role', () => {
    given(...created).when(add(ALICE, 'member')).then([{ type: 'MemberAdded', subjectId: ALICE, role: 'member' }]);
  });
  it('is idempotent: re-adding with the same role yields no event', () => {
    given(...created, { type: 'MemberAdded', subjectId: ALICE, role: 'auditor' }).when(add(ALICE, 'auditor')).then([]);
  });
  it('refuses re-adding a member with another role', () => {
    given(...created, { type: 'MemberAdded', subjectId: ALICE, role: 'member' }).when(add(ALICE, 'admin')).thenThrows(MemberAlreadyAddedError);
  });
  it('refuses giving the owner another role', () => {
    given(...created).when(add(OWNER, 'admin')).thenThrows(MemberAlreadyAddedError);
  });
  it('adds again someone who was removed', () => {
    given(...created, { type: 'MemberAdded', subjectId: ALICE, role: 'member' }, { type: 'MemberRemoved', subjectId: ALICE })
      .when(add(ALICE, 'member'))
      .then([{ type: 'MemberAdded', subjectId: ALICE, role: 'member' }]);
  });
  it('lets an admin add auditors and members, but not admins', () => {
    given(...withAdmins).when(add(ALICE, 'member', ADMIN)).then([{ type: 'MemberAdded', subjectId: ALICE, role: 'member' }]);
    given(...withAdmins).when(add(ALICE, 'auditor', ADMIN)).then([{ type: 'MemberAdded', subjectId: ALICE, role: 'auditor' }]);
    given(...withAdmins).when(add(ALICE, 'admin', ADMIN)).thenThrows(RankTooLowError);
  });
  it('refuses a member, an auditor, or someone who is no longer a member', () => {
    given(...withAdmins).when(add(ALICE, 'member', MEMBER)).thenThrows(RankTooLowError);
    given(...withAdmins).when(add(ALICE, 'member', AUDITOR)).thenThrows(RankTooLowError);
    given(...withAdmins, { type: 'MemberRemoved', subjectId: ADMIN }).when(add(ALICE, 'member', ADMIN)).thenThrows(NotAMemberError);
  });
  it('refuses an unknown tenant', () => {
    given().when(add(ALICE, 'member')).thenThrows(UnknownTenantError);
  });
});

describe('RemoveMember', () => {
  const remove = (subjectId: string, by = OWNER): TenantCommand => ({ type: 'RemoveMember', subjectId, by });

  it('removes a member', () => {
    given(...created, { type: 'MemberAdded', subjectId: ALICE, role: 'admin' }).when(remove(ALICE)).then([{ type: 'MemberRemoved', subjectId: ALICE }]);
  });
  it('refuses removing the owner, by anyone', () => {
    given(...created).when(remove(OWNER)).thenThrows(CannotRemoveOwnerError);
    given(...withAdmins).when(remove(OWNER, ADMIN)).thenThrows(CannotRemoveOwnerError);
  });
  it('refuses removing someone who is not a member', () => {
    given(...created).when(remove(ALICE)).thenThrows(UnknownMemberError);
  });
  it('refuses removing twice', () => {
    given(...created, { type: 'MemberAdded', subjectId: ALICE, role: 'member' }, { type: 'MemberRemoved', subjectId: ALICE })
      .when(remove(ALICE))
      .thenThrows(UnknownMemberError);
  });
  it('lets an admin remove members and auditors, never another admin', () => {
    given(...withAdmins).when(remove(MEMBER, ADMIN)).then([{ type: 'MemberRemoved', subjectId: MEMBER }]);
    given(...withAdmins).when(remove(AUDITOR, ADMIN)).then([{ type: 'MemberRemoved', subjectId: AUDITOR }]);
    given(...withAdmins).when(remove(ADMIN_2, ADMIN)).thenThrows(RankTooLowError);
  });
  it('lets the owner remove an admin, and anyone leave by removing themself', () => {
    given(...withAdmins).when(remove(ADMIN)).then([{ type: 'MemberRemoved', subjectId: ADMIN }]);
    given(...withAdmins).when(remove(ADMIN, ADMIN)).then([{ type: 'MemberRemoved', subjectId: ADMIN }]);
    given(...withAdmins).when(remove(MEMBER, MEMBER)).then([{ type: 'MemberRemoved', subjectId: MEMBER }]);
  });
  it('refuses a member removing another member, and a removed admin removing anyone', () => {
    given(...withAdmins).when(remove(AUDITOR, MEMBER)).thenThrows(RankTooLowError);
    given(...withAdmins, { type: 'MemberRemoved', subjectId: ADMIN }).when(remove(MEMBER, ADMIN)).thenThrows(NotAMemberError);
  });
  it('ranks the actor by their current role, not by the one they were added with', () => {
    given(...withAdmins, { type: 'MemberRoleChanged', subjectId: ADMIN, role: 'member' })
      .when(remove(MEMBER, ADMIN))
      .thenThrows(RankTooLowError);
  });
  it('refuses an unknown tenant', () => {
    given().when(remove(ALICE)).thenThrows(UnknownTenantError);
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
