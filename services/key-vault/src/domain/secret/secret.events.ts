import type { Provider } from '../provider-key/providers';
import type { TestOutcome } from '../provider-key/connection-test';
import type { SecretKind } from './secret-kind';

// Events of one secret's stream (provider key, SMTP password or OIDC client secret). They carry
// ids, versions and the masked form only, never key material.

interface SecretEventBase {
  secretId: string;
  tenantId: string;
  kind: SecretKind;
}

export interface SecretStored extends SecretEventBase {
  type: 'SecretStored';
  version: number;
  /** Provider keys only; null for tenant secrets. */
  provider: Provider | null;
  label: string;
  /** Provider keys only; '' for tenant secrets (a password's last characters are not shown). */
  lastFour: string;
  fingerprint: string;
  storedAt: Date;
}

export interface SecretRotated extends SecretEventBase {
  type: 'SecretRotated';
  version: number;
  previousVersion: number;
  lastFour: string;
  fingerprint: string;
  /** The previous version stays usable until then (ROTATION_GRACE_MS after the rotation). */
  previousRetiresAt: Date;
  rotatedAt: Date;
}

/** A version past its grace period: no longer decryptable; its data key is destroyed. */
export interface SecretVersionRetired extends SecretEventBase {
  type: 'SecretVersionRetired';
  version: number;
  retiredAt: Date;
}

export interface SecretDecrypted extends SecretEventBase {
  type: 'SecretDecrypted';
  version: number;
  /** Service identity that received the plaintext. */
  caller: string;
  decryptedAt: Date;
}

/** An admin tested a provider key against its provider. */
export interface SecretTested extends SecretEventBase {
  type: 'SecretTested';
  version: number;
  outcome: TestOutcome;
  modelCount: number;
  testedAt: Date;
}

/** Crypto-shredded: the data keys of `shreddedVersions` were destroyed. */
export interface SecretDeleted extends SecretEventBase {
  type: 'SecretDeleted';
  shreddedVersions: number[];
  deletedAt: Date;
}

export type SecretEvent = SecretStored | SecretRotated | SecretVersionRetired | SecretDecrypted | SecretTested | SecretDeleted;
