import type { Provider } from '../provider-key/providers';
import type { TestOutcome } from '../provider-key/connection-test';
import { SecretAlreadyExists, SecretNotFound, SecretVersionRetiredError, StaleRotation } from './secret-errors';
import type { SecretKind } from './secret-kind';
import type { SecretEvent } from './secret.events';
import { dueVersions, versionUsable, type SecretState } from './secret.state';

// One secret as an aggregate: stored, rotated (older versions retire after a grace period),
// tested, decrypted (each time recorded) and finally deleted by crypto-shredding.

interface Target {
  secretId: string;
  tenantId: string;
  kind: SecretKind;
  now: Date;
}

export type SecretCommand =
  | (Target & { type: 'StoreSecret'; provider: Provider | null; label: string; lastFour: string; fingerprint: string })
  | (Target & { type: 'RotateSecret'; version: number; lastFour: string; fingerprint: string; graceMs: number })
  | (Target & { type: 'RetireDueVersions' })
  | (Target & { type: 'RecordDecryption'; /** 0: the current version. */ version: number; caller: string })
  | (Target & { type: 'RecordTest'; version: number; outcome: TestOutcome; modelCount: number })
  | (Target & { type: 'DeleteSecret' });

export function decide(command: SecretCommand, state: SecretState | null): SecretEvent[] {
  const base = { secretId: command.secretId, tenantId: command.tenantId, kind: command.kind };
  if (command.type === 'StoreSecret') {
    if (state !== null) throw new SecretAlreadyExists();
    const { provider, label, lastFour, fingerprint, now } = command;
    return [{ type: 'SecretStored', ...base, version: 1, provider, label, lastFour, fingerprint, storedAt: now }];
  }
  const live = existing(command, state);
  switch (command.type) {
    case 'RotateSecret': {
      if (command.version <= live.currentVersion) throw new StaleRotation();
      return [
        {
          type: 'SecretRotated',
          ...base,
          version: command.version,
          previousVersion: live.currentVersion,
          lastFour: command.lastFour,
          fingerprint: command.fingerprint,
          previousRetiresAt: new Date(command.now.getTime() + command.graceMs),
          rotatedAt: command.now,
        },
      ];
    }
    case 'RetireDueVersions':
      return dueVersions(live, command.now).map((version) => ({ type: 'SecretVersionRetired', ...base, version, retiredAt: command.now }));
    case 'RecordDecryption': {
      const version = usableVersion(live, command.version, command.now);
      return [{ type: 'SecretDecrypted', ...base, version, caller: command.caller, decryptedAt: command.now }];
    }
    case 'RecordTest': {
      const version = usableVersion(live, command.version, command.now);
      return [{ type: 'SecretTested', ...base, version, outcome: command.outcome, modelCount: command.modelCount, testedAt: command.now }];
    }
    case 'DeleteSecret': {
      const shreddedVersions = live.versions.filter((v) => v.retiredAt === null).map((v) => v.version);
      return [{ type: 'SecretDeleted', ...base, shreddedVersions, deletedAt: command.now }];
    }
    default:
      return assertNever(command);
  }
}

export function evolve(state: SecretState | null, event: SecretEvent): SecretState | null {
  if (event.type === 'SecretStored') {
    return {
      secretId: event.secretId,
      tenantId: event.tenantId,
      kind: event.kind,
      provider: event.provider,
      label: event.label,
      lastFour: event.lastFour,
      fingerprint: event.fingerprint,
      currentVersion: event.version,
      versions: [{ version: event.version, createdAt: event.storedAt, retiresAt: null, retiredAt: null }],
      createdAt: event.storedAt,
      rotatedAt: null,
      lastUsedAt: null,
      lastTest: null,
      deletedAt: null,
    };
  }
  if (state === null) return state;
  switch (event.type) {
    case 'SecretRotated':
      return {
        ...state,
        currentVersion: event.version,
        lastFour: event.lastFour,
        fingerprint: event.fingerprint,
        rotatedAt: event.rotatedAt,
        versions: [
          ...state.versions.map((v) => (v.version === event.previousVersion ? { ...v, retiresAt: event.previousRetiresAt } : v)),
          { version: event.version, createdAt: event.rotatedAt, retiresAt: null, retiredAt: null },
        ],
      };
    case 'SecretVersionRetired':
      return { ...state, versions: state.versions.map((v) => (v.version === event.version ? { ...v, retiredAt: event.retiredAt } : v)) };
    case 'SecretDecrypted':
      return state.lastUsedAt && state.lastUsedAt >= event.decryptedAt ? state : { ...state, lastUsedAt: event.decryptedAt };
    case 'SecretTested':
      return { ...state, lastTest: { at: event.testedAt, version: event.version, outcome: event.outcome } };
    case 'SecretDeleted':
      return {
        ...state,
        deletedAt: event.deletedAt,
        versions: state.versions.map((v) => (v.retiredAt === null ? { ...v, retiredAt: event.deletedAt } : v)),
      };
    default:
      return assertNever(event);
  }
}

/** The live secret the command is about: same tenant, same kind, not deleted. */
function existing(command: Target, state: SecretState | null): SecretState {
  if (state === null || state.tenantId !== command.tenantId || state.kind !== command.kind || state.deletedAt !== null) {
    throw new SecretNotFound(command.kind === 'provider-key' ? 'provider key' : 'secret');
  }
  return state;
}

function usableVersion(state: SecretState, requested: number, now: Date): number {
  const version = requested === 0 ? state.currentVersion : requested;
  const found = state.versions.find((v) => v.version === version);
  if (!found) throw new SecretNotFound(`version ${version}`);
  if (!versionUsable(found, now)) throw new SecretVersionRetiredError(version);
  return version;
}

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}
