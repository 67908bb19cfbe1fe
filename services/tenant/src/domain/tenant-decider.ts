import type { AddMember, ChangeSettings, CreateInstance, PurgeMember, RemoveMember, TenantCommand } from './tenant-commands';
import {
  CannotRemoveOwnerError,
  InstanceAlreadyExistsError,
  InvalidSettingsError,
  MemberAlreadyAddedError,
  UnknownMemberError,
  UnknownTenantError,
} from './tenant-errors';
import type { TenantEvent } from './tenant-events';
import { DEFAULT_NOTICE_VERSION, effectiveRetention, settingsProblems, sameSettings, type TenantSettings } from './tenant-settings';
import type { TenantState } from './tenant-state';

/** Decides what happens when a command meets the current state; throws TenantDomainError. */
export function decide(command: TenantCommand, state: TenantState): TenantEvent[] {
  switch (command.type) {
    case 'CreateInstance':
      return createInstance(command, state);
    case 'AddMember':
      return addMember(command, requireCreated(state));
    case 'RemoveMember':
      return removeMember(command, requireCreated(state));
    case 'ChangeSettings':
      return changeSettings(command, requireCreated(state));
    case 'PurgeMember':
      return purgeMember(command, state);
    default:
      return assertNever(command);
  }
}

/** Folds one event into the state (pure; returns a new state). */
export function evolve(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'InstanceCreated':
      return {
        ...state,
        created: true,
        instanceName: event.instanceName,
        ownerSubjectId: event.ownerSubjectId,
        settings: { ...state.settings, instanceName: event.instanceName },
      };
    case 'MemberAdded':
      return { ...state, members: new Map(state.members).set(event.subjectId, event.role) };
    case 'MemberRemoved': {
      const members = new Map(state.members);
      members.delete(event.subjectId);
      // Only an erasure removes the owner: the instance then has no owner, its admins run it.
      const ownerSubjectId = event.subjectId === state.ownerSubjectId ? '' : state.ownerSubjectId;
      return { ...state, members, ownerSubjectId };
    }
    case 'SettingsChanged':
      return {
        ...state,
        instanceName: event.settings.instanceName,
        settings: copySettings(event.settings),
      };
    case 'SubjectDataPurged':
    case 'RetentionPurged':
      return state; // recorded on streams of their own, never on the tenant's
    default:
      return assertNever(event);
  }
}

export function fold(state: TenantState, events: readonly TenantEvent[]): TenantState {
  return events.reduce(evolve, state);
}

function createInstance(command: CreateInstance, state: TenantState): TenantEvent[] {
  if (state.created) throw new InstanceAlreadyExistsError();
  const settings: TenantSettings = {
    instanceName: command.instanceName,
    systemInstruction: '',
    messageLogging: false,
    privacyPolicyUrl: '',
    defaultModel: command.defaultModel,
    allowedModels: [],
    messageLoggingNoticeVersion: '',
  };
  assertValid(settings);
  return [
    { type: 'InstanceCreated', instanceName: command.instanceName, ownerSubjectId: command.ownerSubjectId },
    { type: 'MemberAdded', subjectId: command.ownerSubjectId, role: 'owner' },
    { type: 'SettingsChanged', settings },
  ];
}

function addMember(command: AddMember, state: TenantState): TenantEvent[] {
  const current = state.members.get(command.subjectId);
  if (current === command.role) return [];
  if (current !== undefined) throw new MemberAlreadyAddedError();
  return [{ type: 'MemberAdded', subjectId: command.subjectId, role: command.role }];
}

function removeMember(command: RemoveMember, state: TenantState): TenantEvent[] {
  if (command.subjectId === state.ownerSubjectId) throw new CannotRemoveOwnerError();
  if (!state.members.has(command.subjectId)) throw new UnknownMemberError();
  return [{ type: 'MemberRemoved', subjectId: command.subjectId }];
}

function purgeMember(command: PurgeMember, state: TenantState): TenantEvent[] {
  if (!state.created || !state.members.has(command.subjectId)) return [];
  return [{ type: 'MemberRemoved', subjectId: command.subjectId }];
}

function changeSettings(command: ChangeSettings, state: TenantState): TenantEvent[] {
  const next: TenantSettings = copySettings(state.settings);
  const changes = command.changes;
  if (changes.instanceName !== undefined) next.instanceName = changes.instanceName;
  if (changes.systemInstruction !== undefined) next.systemInstruction = changes.systemInstruction;
  if (changes.messageLogging !== undefined) next.messageLogging = changes.messageLogging;
  if (changes.privacyPolicyUrl !== undefined) next.privacyPolicyUrl = changes.privacyPolicyUrl;
  if (changes.defaultModel !== undefined) next.defaultModel = changes.defaultModel;
  if (changes.allowedModels !== undefined) next.allowedModels = [...changes.allowedModels];
  if (changes.retention !== undefined) next.retention = { ...effectiveRetention(state.settings), ...definedOnly(changes.retention) };
  if (changes.messageLoggingNoticeVersion !== undefined) next.messageLoggingNoticeVersion = changes.messageLoggingNoticeVersion;
  else if (!next.messageLogging) next.messageLoggingNoticeVersion = '';
  else if (next.messageLoggingNoticeVersion === '') next.messageLoggingNoticeVersion = DEFAULT_NOTICE_VERSION;
  assertValid(next);
  if (sameSettings(next, state.settings)) return [];
  return [{ type: 'SettingsChanged', settings: next }];
}

function copySettings(settings: TenantSettings): TenantSettings {
  const { retention, ...rest } = settings;
  return { ...rest, allowedModels: [...settings.allowedModels], ...(retention && { retention: { ...retention } }) };
}

function definedOnly<T extends object>(partial: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function requireCreated(state: TenantState): TenantState {
  if (!state.created) throw new UnknownTenantError();
  return state;
}

function assertValid(settings: TenantSettings): void {
  const problems = settingsProblems(settings);
  if (problems.length > 0) throw new InvalidSettingsError(problems);
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${(value as { type?: string }).type}`);
}
