// The evidence bundle: a range of one tenant's log with everything needed to verify it offline,
// against nothing but the public key inside it (or one the reader trusts). JSON, so auditors can
// read it; entries exactly as stored (payload as its canonical text), hashes as hex.
import { entryFields, type AuditEntry } from '../../log/domain/audit-entry';
import type { Checkpoint } from '../../checkpoints/domain/checkpoint';

export const BUNDLE_FORMAT = 'enclave-audit-bundle/v1';

export interface BundleEntry {
  tenantId: string;
  seq: number;
  eventId: string;
  service: string;
  type: string;
  actor: { kind: string; id: string; role: string };
  subjectId: string;
  occurredAt: string;
  recordedAt: string;
  /** The canonical JSON text the hash commits to, verbatim. */
  payload: string;
  prevHash: string;
  hash: string;
}

export interface BundleCheckpoint {
  tenantId: string;
  treeSize: number;
  rootHash: string;
  issuedAt: string;
  keyId: string;
  signature: string;
}

export interface PathProof {
  path: string[];
}

export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  tenantId: string;
  fromSeq: number;
  toSeq: number;
  entries: BundleEntry[];
  /** Ascending treeSize: those inside [fromSeq, toSeq], then the anchor, the latest, covering toSeq. */
  checkpoints: BundleCheckpoint[];
  proofs: {
    /** The anchor's tree size: every proof is against its root. */
    treeSize: number;
    /** Per entry, when the anchor's root cannot be recomputed from the entries alone (a range not starting at seq 1, or ending before the anchor). */
    inclusion: Array<PathProof & { seq: number }>;
    /** Per other checkpoint whose root cannot be recomputed from the entries: it is a prefix of the anchor. */
    consistency: Array<PathProof & { treeSize: number }>;
  };
  publicKey: { algorithm: 'Ed25519'; keyId: string; /** SPKI DER, base64 */ spki: string };
  exportedAt: string;
}

export function toBundleEntry(entry: AuditEntry): BundleEntry {
  return { ...entryFields(entry), hash: entry.hash };
}

export function toBundleCheckpoint(c: Checkpoint): BundleCheckpoint {
  return { tenantId: c.tenantId, treeSize: c.treeSize, rootHash: c.rootHash, issuedAt: c.issuedAt.toISOString(), keyId: c.keyId, signature: c.signature };
}

export function fromBundleCheckpoint(c: BundleCheckpoint): Checkpoint {
  return { ...c, issuedAt: new Date(c.issuedAt) };
}
