import type { Provider } from '../domain/provider-key/providers';
import type { TestOutcome } from '../domain/provider-key/connection-test';
import type { TenantSecretKind } from '../domain/secret/secret-kind';
import type { SecretState } from '../domain/secret/secret.state';

// What admins see. Built field by field so nothing else can slip through.

export interface MaskedVersion {
  version: number;
  createdAt: Date;
  /** End of the grace period of a previous version; null for the current one. */
  retiresAt: Date | null;
  retiredAt: Date | null;
}

export interface MaskedProviderKey {
  keyId: string;
  keyVersion: number;
  provider: Provider;
  label: string;
  lastFour: string;
  fingerprint: string;
  isDefault: boolean;
  createdAt: Date;
  rotatedAt: Date | null;
  lastUsedAt: Date | null;
  lastTest: { at: Date; version: number; outcome: TestOutcome } | null;
  versions: MaskedVersion[];
}

export interface MaskedTenantSecret {
  secretId: string;
  kind: TenantSecretKind;
  version: number;
  label: string;
  fingerprint: string;
  createdAt: Date;
  rotatedAt: Date | null;
  lastUsedAt: Date | null;
  versions: MaskedVersion[];
}

export function toMaskedProviderKey(state: SecretState, isDefault: boolean): MaskedProviderKey {
  if (state.kind !== 'provider-key' || state.provider === null) throw new Error('not a provider key');
  return {
    keyId: state.secretId,
    keyVersion: state.currentVersion,
    provider: state.provider,
    label: state.label,
    lastFour: state.lastFour,
    fingerprint: state.fingerprint,
    isDefault,
    createdAt: state.createdAt,
    rotatedAt: state.rotatedAt,
    lastUsedAt: state.lastUsedAt,
    lastTest: state.lastTest ? { at: state.lastTest.at, version: state.lastTest.version, outcome: state.lastTest.outcome } : null,
    versions: maskedVersions(state),
  };
}

export function toMaskedTenantSecret(state: SecretState): MaskedTenantSecret {
  if (state.kind === 'provider-key') throw new Error('not a tenant secret');
  return {
    secretId: state.secretId,
    kind: state.kind,
    version: state.currentVersion,
    label: state.label,
    fingerprint: state.fingerprint,
    createdAt: state.createdAt,
    rotatedAt: state.rotatedAt,
    lastUsedAt: state.lastUsedAt,
    versions: maskedVersions(state),
  };
}

function maskedVersions(state: SecretState): MaskedVersion[] {
  return state.versions.map((v) => ({ version: v.version, createdAt: v.createdAt, retiresAt: v.retiresAt, retiredAt: v.retiredAt }));
}
