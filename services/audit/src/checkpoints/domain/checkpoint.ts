// A signed checkpoint: the log's key vouches that a tenant's tree of `treeSize` entries had
// `rootHash` at `issuedAt`. The signature is Ed25519 over one fixed text, so anyone can verify
// it with the public key and nothing else:
//
//   enclave-audit-checkpoint/v1\n<tenantId>\n<treeSize>\n<rootHex>\n<issuedAtMs>
//
// Only node:crypto here: the offline verifier imports this file.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

export const CHECKPOINT_FORMAT = 'enclave-audit-checkpoint/v1';

export interface UnsignedCheckpoint {
  tenantId: string;
  treeSize: number;
  /** Merkle root of the first treeSize entries, 64 lower-case hex digits. */
  rootHash: string;
  issuedAt: Date;
}

export interface Checkpoint extends UnsignedCheckpoint {
  /** keyIdOfSpki of the signing key's public half. */
  keyId: string;
  /** Ed25519 signature over checkpointText, base64. */
  signature: string;
}

export function checkpointText(c: UnsignedCheckpoint): string {
  return [CHECKPOINT_FORMAT, c.tenantId, String(c.treeSize), c.rootHash, String(c.issuedAt.getTime())].join('\n');
}

export function signCheckpoint(unsigned: UnsignedCheckpoint, privateKey: KeyObject, keyId: string): Checkpoint {
  const signature = sign(null, Buffer.from(checkpointText(unsigned), 'utf8'), privateKey).toString('base64');
  return { ...unsigned, keyId, signature };
}

/** False for a wrong key id, a malformed signature or one that does not verify; never throws. */
export function verifyCheckpointSignature(checkpoint: Checkpoint, publicKey: KeyObject, keyId: string): boolean {
  if (checkpoint.keyId !== keyId) return false;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(checkpoint.signature)) return false;
  try {
    return verify(null, Buffer.from(checkpointText(checkpoint), 'utf8'), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** base64url SHA-256 of the SPKI DER, first 16 characters: the same id @enclave/platform's keyIdOf gives. */
export function keyIdOfSpki(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest('base64url').slice(0, 16);
}

/** Why a checkpoint is or is not made now. */
export type CheckpointDecision = { sign: true } | { sign: false; reason: 'empty_log' | 'not_grown' | 'only_checkpoint_entries' };

/**
 * Sign when the tree grew past the latest checkpoint. On the periodic schedule, growth made only
 * of AuditCheckpointSigned entries does not count: else each checkpoint's own entry would call
 * for the next one forever on an idle log.
 */
export function decideCheckpoint(input: {
  treeSize: number;
  latestTreeSize: number;
  trigger: 'schedule' | 'request';
  /** Entries past latestTreeSize other than AuditCheckpointSigned exist. */
  grewBeyondCheckpointEntries: boolean;
}): CheckpointDecision {
  if (input.treeSize === 0) return { sign: false, reason: 'empty_log' };
  if (input.treeSize <= input.latestTreeSize) return { sign: false, reason: 'not_grown' };
  if (input.trigger === 'schedule' && !input.grewBeyondCheckpointEntries) return { sign: false, reason: 'only_checkpoint_entries' };
  return { sign: true };
}
