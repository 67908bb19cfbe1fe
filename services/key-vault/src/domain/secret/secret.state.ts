import type { Provider } from '../provider-key/providers';
import type { TestOutcome } from '../provider-key/connection-test';
import type { SecretKind } from './secret-kind';

export interface SecretVersionState {
  version: number;
  createdAt: Date;
  /** End of the grace period once a newer version became current; null while current. */
  retiresAt: Date | null;
  retiredAt: Date | null;
}

export interface SecretState {
  secretId: string;
  tenantId: string;
  kind: SecretKind;
  provider: Provider | null;
  label: string;
  lastFour: string;
  fingerprint: string;
  /** The version new decryptions use. */
  currentVersion: number;
  versions: SecretVersionState[];
  createdAt: Date;
  rotatedAt: Date | null;
  lastUsedAt: Date | null;
  lastTest: { at: Date; version: number; outcome: TestOutcome } | null;
  deletedAt: Date | null;
}

/** A version may be decrypted: it exists, is not retired and its grace period has not ended. */
export function versionUsable(version: SecretVersionState, now: Date): boolean {
  return version.retiredAt === null && (version.retiresAt === null || version.retiresAt.getTime() > now.getTime());
}

/** Versions whose grace period has ended but that are not retired yet (never the current one). */
export function dueVersions(state: SecretState, now: Date): number[] {
  if (state.deletedAt) return [];
  return state.versions
    .filter((v) => v.version !== state.currentVersion && v.retiredAt === null && v.retiresAt !== null && v.retiresAt.getTime() <= now.getTime())
    .map((v) => v.version);
}

/** When the next version retires (the sweeper's index), null when none is waiting. */
export function nextRetirementAt(state: SecretState): Date | null {
  if (state.deletedAt) return null;
  const pending = state.versions.filter((v) => v.retiredAt === null && v.retiresAt !== null).map((v) => v.retiresAt!.getTime());
  return pending.length ? new Date(Math.min(...pending)) : null;
}
