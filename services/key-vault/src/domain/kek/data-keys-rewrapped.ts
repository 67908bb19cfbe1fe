import type { SecretKind } from '../secret/secret-kind';

// An operator moved a tenant's data keys to the active key-encryption key version. Not part of
// any secret's stream (the plaintext and versions are unchanged); one event per tenant and batch.

export type RewrapTrigger = 'operator-api' | 'operator-cli';

export interface DataKeysRewrapped {
  type: 'DataKeysRewrapped';
  tenantId: string;
  toKekVersion: number;
  dataKeys: Array<{ secretId: string; kind: SecretKind; version: number; fromKekVersion: number }>;
  trigger: RewrapTrigger;
}
