import { isSecretKind, type SecretKind } from '../secret/secret-kind';

// An operator moved a tenant's data keys to the active key-encryption key version. Not part of
// any secret's stream (the plaintext and versions are unchanged); one event per tenant and batch.

/** Whose data key: a secret version, or a person's subject key (secretId = key id, version 1). */
export type DataKeyKind = SecretKind | 'subject-key';

export function isDataKeyKind(value: string): value is DataKeyKind {
  return value === 'subject-key' || isSecretKind(value);
}

export type RewrapTrigger = 'operator-api' | 'operator-cli';

export interface DataKeysRewrapped {
  type: 'DataKeysRewrapped';
  tenantId: string;
  toKekVersion: number;
  dataKeys: Array<{ secretId: string; kind: DataKeyKind; version: number; fromKekVersion: number }>;
  trigger: RewrapTrigger;
}
