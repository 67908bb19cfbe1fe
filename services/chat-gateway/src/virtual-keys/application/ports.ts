import type { NewEvent } from '@enclave/eventing';

/** The part of EventStore the virtual-key use cases need. */
export interface KeyEventAppender {
  append(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<unknown>;
}

/** What the API needs of a verified key, cached per gateway replica under the key's hash. */
export interface VerifiedKey {
  hash: string;
  tenantId: string;
  keyId: string;
  /** Pseudonymous subject id of the owner/admin who created the key (their privacy state applies). */
  createdBy: string;
  rateLimitPerMinute: number;
  monthlyTokenLimit: number | null;
  allowedModels: readonly string[];
}

export interface VirtualKeyLookup {
  /** undefined = no such key, or revoked. */
  findActiveByHash(hash: string): Promise<VerifiedKey | undefined>;
}

/** Verified keys by hash, from memory when warm (see VerifiedKeyCache). */
export interface VerifiedKeys {
  /** The key if cached; null if cached as unknown; undefined if not cached. */
  peek(hash: string): VerifiedKey | null | undefined;
  resolve(hash: string): Promise<VerifiedKey | undefined>;
}

/** Notes that a key was used (lastUsedAt, written in the background; see LastUsedRecorder). */
export interface KeyUseRecorder {
  used(hash: string): void;
}
