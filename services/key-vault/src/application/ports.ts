import type { TenantId } from '@enclave/eventing';
import type { ProviderKeyEvent } from '../domain/provider-key/provider-key.events';
import type { ProviderKeyState } from '../domain/provider-key/provider-key.decider';

// What the use cases need from the outside world; infrastructure implements each.

export type PersonRole = 'owner' | 'admin' | 'member' | 'auditor';

/** Who caused a change: a person of the tenant, or a service. */
export type Actor = { kind: 'person'; subjectId: string; role: PersonRole } | { kind: 'service'; name: string };

/** A tenant's data key as stored: wrapped by the key-encryption key of `kekVersion`. */
export interface DataKeyRecord {
  tenantId: TenantId;
  dekVersion: number;
  kekVersion: number;
  wrapped: Buffer;
  createdAt: Date;
}

export interface DataKeyRepository {
  /** The tenant's newest data key (the one new secrets are sealed under). */
  findLatest(tenant: TenantId): Promise<DataKeyRecord | null>;
  findVersion(tenant: TenantId, dekVersion: number): Promise<DataKeyRecord | null>;
  /** false when the (tenant, dekVersion) already exists (another writer was first). */
  insert(record: DataKeyRecord): Promise<boolean>;
}

/** One version of a secret sealed under a tenant data key (AES-256-GCM). */
export interface SecretRecord {
  tenantId: TenantId;
  secretId: string;
  version: number;
  dekVersion: number;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  createdAt: Date;
}

export interface SecretRepository {
  insert(record: SecretRecord): Promise<void>;
  get(tenant: TenantId, secretId: string, version: number): Promise<SecretRecord | null>;
}

/** The key-encryption key (local keyring now, a KMS later). */
export interface KekProvider {
  readonly activeVersion: number;
  wrap(dek: Buffer, aad: Buffer): Promise<{ kekVersion: number; wrapped: Buffer }>;
  /** Throws DecryptionFailed for a wrong/unknown KEK or altered data. */
  unwrap(wrapped: Buffer, kekVersion: number, aad: Buffer): Promise<Buffer>;
}

/**
 * A provider key's stream (stored, later rotated/retired/shredded): the read model doubles as a
 * snapshot, caught up from the store. Decryptions are not appended to it: each one is a stream
 * of its own, so concurrent decryptions of one key never contend for the next version.
 */
export interface ProviderKeyStreams {
  load(tenant: TenantId, keyId: string): Promise<{ state: ProviderKeyState | null; version: number }>;
  /** Appends in one write (ConcurrencyError when the stream moved on) and updates the read model. */
  append(
    tenant: TenantId,
    keyId: string,
    expected: { state: ProviderKeyState | null; version: number },
    events: ProviderKeyEvent[],
    actor: Actor,
  ): Promise<{ state: ProviderKeyState | null; version: number }>;
  /** Appends decision events to a new stream of their own and moves the key's lastUsedAt. */
  appendDecryption(tenant: TenantId, keyId: string, events: ProviderKeyEvent[], actor: Actor): Promise<void>;
}

export interface ProviderKeyViews {
  /** Newest first. */
  list(tenant: TenantId): Promise<ProviderKeyState[]>;
  /** The tenant's default key: the latest stored. */
  latest(tenant: TenantId): Promise<ProviderKeyState | null>;
}

/** Resolves a host name to its IP addresses; [] when it does not resolve. */
export interface HostResolver {
  lookup(host: string): Promise<string[]>;
}

/** Tells the outbox relay there is something to publish now (it also polls). */
export interface EventPublisher {
  nudge(): void;
}

export type Clock = () => Date;
