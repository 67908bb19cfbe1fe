// Given a secret's history, which events does each command produce, and which state follows?
import { decide, evolve, type SecretCommand } from './secret.decider';
import { SecretAlreadyExists, SecretNotFound, SecretVersionRetiredError, StaleRotation } from './secret-errors';
import type { SecretEvent } from './secret.events';
import { dueVersions, nextRetirementAt, type SecretState } from './secret.state';

const HOUR = 3_600_000;
const t0 = new Date('2025-01-01T00:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
const target = { secretId: 'k1', tenantId: 'tenant-a', kind: 'provider-key' as const };

const store: SecretCommand = { type: 'StoreSecret', ...target, provider: 'openai', label: 'Main', lastFour: '1234', fingerprint: 'f1', now: t0 };
const rotate = (version: number, hours: number): SecretCommand => ({
  type: 'RotateSecret', ...target, version, lastFour: `${version}${version}${version}${version}`, fingerprint: `f${version}`, graceMs: 24 * HOUR, now: at(hours),
});
const decrypt = (version: number, hours: number): SecretCommand => ({ type: 'RecordDecryption', ...target, version, caller: 'chat-gateway', now: at(hours) });

function given(events: SecretEvent[]): SecretState | null {
  return events.reduce(evolve, null as SecretState | null);
}

/** Applies commands one after the other, returning every event. */
function history(...commands: SecretCommand[]): SecretEvent[] {
  const events: SecretEvent[] = [];
  for (const command of commands) events.push(...decide(command, given(events)));
  return events;
}

describe('secret decider', () => {
  it('stores a new secret as version 1, current and without retirement', () => {
    const events = decide(store, null);
    expect(events).toEqual([
      { type: 'SecretStored', ...target, version: 1, provider: 'openai', label: 'Main', lastFour: '1234', fingerprint: 'f1', storedAt: t0 },
    ]);
    expect(given(events)).toMatchObject({
      currentVersion: 1,
      versions: [{ version: 1, createdAt: t0, retiresAt: null, retiredAt: null }],
      rotatedAt: null,
      lastUsedAt: null,
      deletedAt: null,
    });
    expect(() => decide(store, given(events))).toThrow(SecretAlreadyExists);
  });

  it('rotates: the new version becomes current, the previous one retires after the grace period', () => {
    const events = decide(rotate(2, 1), given(history(store)));
    expect(events).toEqual([
      { type: 'SecretRotated', ...target, version: 2, previousVersion: 1, lastFour: '2222', fingerprint: 'f2', previousRetiresAt: at(25), rotatedAt: at(1) },
    ]);
    const state = given([...history(store), ...events])!;
    expect(state).toMatchObject({ currentVersion: 2, lastFour: '2222', fingerprint: 'f2', rotatedAt: at(1) });
    expect(state.versions).toEqual([
      { version: 1, createdAt: t0, retiresAt: at(25), retiredAt: null },
      { version: 2, createdAt: at(1), retiresAt: null, retiredAt: null },
    ]);
    expect(nextRetirementAt(state)).toEqual(at(25));
  });

  it('accepts a rotation to a later version number (an orphaned attempt took one) and refuses a stale one', () => {
    expect(decide(rotate(4, 1), given(history(store)))[0]).toMatchObject({ version: 4, previousVersion: 1 });
    expect(() => decide(rotate(2, 2), given(history(store, rotate(2, 1))))).toThrow(StaleRotation);
    expect(() => decide(rotate(1, 2), given(history(store)))).toThrow(StaleRotation);
  });

  it('serves the previous version during its grace period and refuses it afterwards', () => {
    const state = given(history(store, rotate(2, 1)));
    expect(decide(decrypt(1, 24), state)).toEqual([
      { type: 'SecretDecrypted', ...target, version: 1, caller: 'chat-gateway', decryptedAt: at(24) },
    ]);
    expect(() => decide(decrypt(1, 25), state)).toThrow(SecretVersionRetiredError);
    expect(decide(decrypt(0, 25), state)[0]).toMatchObject({ version: 2 });
  });

  it('retires exactly the versions whose grace ended, never the current one, and only once', () => {
    const state = given(history(store, rotate(2, 1), rotate(3, 10)));
    expect(dueVersions(state!, at(24))).toEqual([]);
    expect(decide({ type: 'RetireDueVersions', ...target, now: at(24) }, state)).toEqual([]);
    const first = decide({ type: 'RetireDueVersions', ...target, now: at(25) }, state);
    expect(first).toEqual([{ type: 'SecretVersionRetired', ...target, version: 1, retiredAt: at(25) }]);
    const after = given([...history(store, rotate(2, 1), rotate(3, 10)), ...first]);
    expect(decide({ type: 'RetireDueVersions', ...target, now: at(30) }, after)).toEqual([]);
    expect(nextRetirementAt(after!)).toEqual(at(34));
    expect(decide({ type: 'RetireDueVersions', ...target, now: at(40) }, after)).toEqual([
      { type: 'SecretVersionRetired', ...target, version: 2, retiredAt: at(40) },
    ]);
    expect(() => decide(decrypt(1, 26), after)).toThrow(SecretVersionRetiredError);
  });

  it('records a decryption and moves lastUsedAt forward only', () => {
    const events = history(store, decrypt(0, 5), decrypt(0, 3));
    expect(given(events)?.lastUsedAt).toEqual(at(5));
  });

  it('records a connection test of the current version', () => {
    const events = history(store, { type: 'RecordTest', ...target, version: 0, outcome: 'unauthorized', modelCount: 0, now: at(2) });
    expect(events.at(-1)).toEqual({ type: 'SecretTested', ...target, version: 1, outcome: 'unauthorized', modelCount: 0, testedAt: at(2) });
    expect(given(events)?.lastTest).toEqual({ at: at(2), version: 1, outcome: 'unauthorized' });
  });

  it('deletes: lists the versions shredded now, and nothing is usable afterwards', () => {
    const before = history(store, rotate(2, 1), rotate(3, 5), { type: 'RetireDueVersions', ...target, now: at(26) });
    const events = decide({ type: 'DeleteSecret', ...target, now: at(27) }, given(before));
    expect(events).toEqual([{ type: 'SecretDeleted', ...target, shreddedVersions: [2, 3], deletedAt: at(27) }]);
    const state = given([...before, ...events])!;
    expect(state.deletedAt).toEqual(at(27));
    expect(state.versions.every((v) => v.retiredAt !== null)).toBe(true);
    expect(nextRetirementAt(state)).toBeNull();
    for (const command of [decrypt(0, 28), rotate(4, 28), { type: 'DeleteSecret' as const, ...target, now: at(28) }]) {
      expect(() => decide(command, state)).toThrow(SecretNotFound);
    }
  });

  it.each([
    ['no such secret', null, target],
    ['another tenant', 'stored', { ...target, tenantId: 'tenant-b' }],
    ['another kind', 'stored', { ...target, kind: 'smtp-password' as const }],
  ])('refuses commands for %s as not found', (_name, stored, who) => {
    const state = stored ? given(history(store)) : null;
    expect(() => decide({ type: 'RecordDecryption', ...who, version: 0, caller: 'auth', now: at(1) }, state)).toThrow(SecretNotFound);
    expect(() => decide({ type: 'DeleteSecret', ...who, now: at(1) }, state)).toThrow(SecretNotFound);
  });

  it('refuses an unknown version as not found', () => {
    expect(() => decide(decrypt(7, 1), given(history(store)))).toThrow(/version 7 not found/);
  });
});
