import type { TenantId } from '@enclave/eventing';
import type { DataKeyKind, DataKeysRewrapped } from '../domain/kek/data-keys-rewrapped';
import type { SecretKind } from '../domain/secret/secret-kind';
import type { SecretEvent } from '../domain/secret/secret.events';
import type { SecretState } from '../domain/secret/secret.state';

export type { KekProvider } from './kek-provider';

// What the use cases need from the outside world; infrastructure implements each.

export type PersonRole = 'owner' | 'admin' | 'member' | 'auditor';

/** Who caused a change: a person of the tenant, a service, or the system (operator, sweeper). */
export type Actor =
  | { kind: 'person'; subjectId: string; role: PersonRole }
  | { kind: 'service'; name: string }
  | { kind: 'system'; name: string };

/** Which secret: kinds are never mixed up (a provider key id does not open an SMTP password). */
export interface SecretRef {
  tenantId: TenantId;
  kind: SecretKind;
  secretId: string;
}

/**
 * One version of a secret: AES-256-GCM ciphertext under a data key of its own, stored next to it
 * wrapped by the KEK of `kekVersion`. Shredding destroys `wrappedDek` (null) for good.
 */
export interface SealedSecretRecord {
  tenantId: TenantId;
  kind: SecretKind;
  secretId: string;
  version: number;
  kekVersion: number;
  wrappedDek: Buffer | null;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  createdAt: Date;
  shreddedAt: Date | null;
}

/**
 * A data key still wrapped under an older KEK version (operator re-wrap; across tenants): a
 * secret version's, or a person's subject key (kind 'subject-key': secretId = key id, version 1).
 */
export interface WrappedDataKey {
  id: string;
  tenantId: TenantId;
  kind: DataKeyKind;
  secretId: string;
  version: number;
  /** Only for kind 'subject-key': the person the key belongs to (part of its binding). */
  subjectId?: string;
  kekVersion: number;
  wrappedDek: Buffer;
}

/** Where wrapped data keys live, as the operator's re-wrap sees it (across tenants). */
export interface DataKeyStore {
  /** Live data keys not under `kekVersion`, in id order after `afterId`. */
  wrappedUnderOtherVersions(kekVersion: number, afterId: string | null, limit: number): Promise<WrappedDataKey[]>;
  countWrappedUnderOtherVersions(kekVersion: number): Promise<number>;
  /** Live (not shredded) data keys per KEK version. */
  liveDataKeysByKekVersion(): Promise<Record<string, number>>;
  /** Compare-and-set: only if still wrapped as read and not shredded meanwhile. */
  replaceWrapping(key: WrappedDataKey, kekVersion: number, wrappedDek: Buffer): Promise<boolean>;
}

export interface SealedSecretRepository extends DataKeyStore {
  /** false when (tenant, secret, version) already exists. */
  insert(record: SealedSecretRecord): Promise<boolean>;
  get(tenant: TenantId, secretId: string, version: number): Promise<SealedSecretRecord | null>;
  /** Destroys the data keys of the given versions ('all': every record of the secret); returns how many. */
  shred(tenant: TenantId, secretId: string, versions: number[] | 'all', at: Date): Promise<number>;
}

/**
 * A secret's stream: the read model doubles as a snapshot, caught up from the store. Decryptions
 * are not appended to it: each one is a stream of its own, so concurrent decryptions of one
 * secret never contend for the next version.
 */
export interface SecretStreams {
  load(ref: SecretRef): Promise<{ state: SecretState | null; version: number }>;
  /**
   * The read model and the stream version it reflects, without reading the stream (falls back to
   * load() when there is no read model). A command decided on it is safe: the append names that
   * version and fails with ConcurrencyError if the stream moved on, and the command is retried
   * on a full load().
   */
  snapshot(ref: SecretRef): Promise<{ state: SecretState | null; version: number }>;
  /**
   * For reads (decryption): the read model as it is, without catching up from the store (the
   * stream is only read when there is no read model yet). Safe because data keys are destroyed
   * before the event that deletes or retires a version is appended: a read model that lags
   * behind can never open a shredded version, and a lagging rotation only means the previous,
   * still valid version is served a moment longer.
   */
  current(ref: SecretRef): Promise<SecretState | null>;
  /** Appends in one write (ConcurrencyError when the stream moved on) and updates the read model. */
  append(
    ref: SecretRef,
    expected: { state: SecretState | null; version: number },
    events: SecretEvent[],
    actor: Actor,
  ): Promise<{ state: SecretState | null; version: number }>;
  /**
   * Appends decryption events to a new stream of their own and, when `touchLastUsed`, moves the
   * secret's lastUsedAt (the read model's "last used" has minute precision; the events are exact).
   */
  appendDecryption(ref: SecretRef, events: SecretEvent[], actor: Actor, options?: { touchLastUsed: boolean }): Promise<void>;
}

export interface SecretViews {
  /** Live (not deleted) secrets of one kind, newest first. */
  list(tenant: TenantId, kind: SecretKind): Promise<SecretState[]>;
  /** The newest live secret of the kind (a tenant's default provider key). */
  latest(tenant: TenantId, kind: SecretKind): Promise<SecretState | null>;
  /** Across tenants: secrets with a version whose grace period ended by `now`. */
  dueForRetirement(now: Date, limit: number): Promise<Array<{ tenantId: TenantId; kind: SecretKind; secretId: string }>>;
}

/** Records operator re-wraps (one event per tenant and batch). */
export interface RewrapJournal {
  record(tenant: TenantId, event: DataKeysRewrapped, actor: Actor): Promise<void>;
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
