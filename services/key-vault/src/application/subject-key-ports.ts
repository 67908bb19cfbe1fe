import type { TenantId } from '@enclave/eventing';
import type { SubjectKeyState } from '../domain/subject-key/subject-key';
import type { SubjectDataPurged, SubjectKeyCreated, SubjectKeyShredded } from '../domain/subject-key/subject-key.events';
import type { SecretState } from '../domain/secret/secret.state';
import type { Actor, DataKeyStore } from './ports';

// What the subject-key use cases need from the outside world.

/** A person's key as stored: its state plus the wrapped key (null once shredded). */
export interface StoredSubjectKey {
  state: SubjectKeyState;
  kekVersion: number | null;
  wrappedKey: Buffer | null;
  /** SubjectKeyCreated is in the event store (set right after it was appended). */
  announced: boolean;
}

export interface NewSubjectKey {
  tenantId: TenantId;
  subjectId: string;
  keyId: string;
  kekVersion: number;
  wrappedKey: Buffer;
  createdAt: Date;
}

/** One document per (tenant, person), unique: concurrent first uses leave one key. */
export interface SubjectKeyRepository extends DataKeyStore {
  lookup(tenant: TenantId, subjectId: string): Promise<StoredSubjectKey | null>;
  /** false when the person already has a key (or a tombstone). */
  insert(key: NewSubjectKey): Promise<boolean>;
  markAnnounced(tenant: TenantId, subjectId: string, keyId: string): Promise<void>;
  /**
   * Destroys the wrapped key and leaves the tombstone (created when the person had no key);
   * idempotent: a shredded key keeps its first shreddedAt and request id. Returns the tombstone.
   */
  shred(tenant: TenantId, subjectId: string, requestId: string, at: Date): Promise<SubjectKeyState>;
}

/**
 * Records a subject's events, each at most once however often it is retried: a key's creation
 * and its shredding once per key, a purge confirmation once per request. false: already there.
 */
export interface PrivacyJournal {
  keyCreated(event: SubjectKeyCreated, actor: Actor): Promise<boolean>;
  keyShredded(event: SubjectKeyShredded, actor: Actor): Promise<boolean>;
  subjectPurged(event: SubjectDataPurged, actor: Actor): Promise<boolean>;
}

/** The tenant's secrets a person stored themselves (as their read models; metadata only). */
export interface SecretsStoredBy {
  storedBy(tenant: TenantId, subjectId: string): Promise<SecretState[]>;
}
