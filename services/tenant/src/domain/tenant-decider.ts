import type { ChangeSettings, CreateInstance, PurgeMember, TenantCommand } from './tenant-commands';
import { InstanceAlreadyExistsError, InvalidSettingsError, UnknownTenantError } from './tenant-errors';
import type { TenantEvent } from './tenant-events';
import { decideMembership } from './tenant-membership';
import { DEFAULT_NOTICE_VERSION, effectiveRetention, settingsProblems, sameSettings, type TenantSettings } from './tenant-settings';
import type { TenantState } from './tenant-state';

/** Decides what happens when a command meets the current state; throws TenantDomainError. */
export function decide(command: TenantCommand, state: TenantState): TenantEvent[] {
  switch (command.type) {
    case 'CreateInstance':
      return createInstance(command, state);
    case 'AddMember':
    case 'RemoveMember':
    case 'ChangeMemberRole':
    case 'ProposeOwnershipTransfer':
    case 'AcceptOwnershipTransfer':
    case 'CancelOwnershipTransfer':
      return decideMembership(command, requireCreated(state));
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
      return { ...state, members, ownerSubjectId, pendingTransfer: offerSurvives(state, event.subjectId, undefined) };
    }
    case 'MemberRoleChanged':
      return {
        ...state,
        members: new Map(state.members).set(event.subjectId, event.role),
        pendingTransfer: offerSurvives(state, event.subjectId, event.role),
      };
    case 'OwnershipTransferProposed':
      return { ...state, pendingTransfer: { fromSubjectId: event.fromSubjectId, toSubjectId: event.toSubjectId } };
    case 'OwnershipTransferCancelled':
      return { ...state, pendingTransfer: null };
    case 'OwnershipTransferred':
      return { ...state, ownerSubjectId: event.toSubjectId, pendingTransfer: null };
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

/**
 * An open ownership offer lapses when the owner who made it or the admin it names leaves, or
 * when that admin's role changes (an offer is made to an admin, and to nobody else).
 */
function offerSurvives(state: TenantState, subjectId: string, newRole: string | undefined): TenantState['pendingTransfer'] {
  const pending = state.pendingTransfer;
  if (!pending) return null;
  if (subjectId === pending.toSubjectId && newRole !== 'admin') return null;
  if (subjectId === pending.fromSubjectId && newRole !== 'owner') return null;
  return pending;
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
