import type { Checkpoint, UnsignedCheckpoint } from '../domain/checkpoint';
import type { VerificationKey } from '../domain/verify-with-checkpoints';

/** audit_checkpoints: append-only, one per (tenant, tree size). */
export interface CheckpointStore {
  /** 'exists' when a checkpoint of this size is stored already (another writer). */
  insert(checkpoint: Checkpoint): Promise<'inserted' | 'exists'>;
  latest(tenant: string): Promise<Checkpoint | undefined>;
  atSize(tenant: string, treeSize: number): Promise<Checkpoint | undefined>;
  /** Newest first, treeSize < before. */
  newestFirst(tenant: string, before: number | undefined, limit: number): Promise<Checkpoint[]>;
  /** Oldest first, treeSize > after. */
  oldestFirst(tenant: string, after: number, limit: number): Promise<Checkpoint[]>;
  /** Oldest first, minSize ≤ treeSize ≤ maxSize. */
  between(tenant: string, minSize: number, maxSize: number): Promise<Checkpoint[]>;
}

/** The log's signing key: signs checkpoints, and publishes its public half. */
export interface CheckpointSigner {
  readonly keyId: string;
  readonly verification: VerificationKey;
  sign(unsigned: UnsignedCheckpoint): Checkpoint;
}

/** AuditCheckpointSigned entries: growth made only of these does not call for a scheduled checkpoint. */
export const CHECKPOINT_ENTRY_TYPE = 'audit.AuditCheckpointSigned';
