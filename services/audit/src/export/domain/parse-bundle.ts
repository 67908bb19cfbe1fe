// Reads an evidence bundle from untrusted JSON: the shape only (types, required fields). Whether
// the content is intact is verifyBundle's question; a bundle that fails here is unreadable.
import { BUNDLE_FORMAT, type BundleCheckpoint, type BundleEntry, type EvidenceBundle, type PathProof } from './bundle';

export class BundleFormatError extends Error {
  override readonly name = 'BundleFormatError';
}

type Json = Record<string, unknown>;

const fail = (path: string, what: string): never => {
  throw new BundleFormatError(`${path}: expected ${what}`);
};
const obj = (v: unknown, path: string): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : fail(path, 'an object'));
const arr = (v: unknown, path: string): unknown[] => (Array.isArray(v) ? v : fail(path, 'an array'));
const str = (v: unknown, path: string): string => (typeof v === 'string' ? v : fail(path, 'a string'));
const count = (v: unknown, path: string): number => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : fail(path, 'a non-negative integer'));
const strings = (v: unknown, path: string): string[] => arr(v, path).map((s, i) => str(s, `${path}[${i}]`));

export function parseBundle(value: unknown): EvidenceBundle {
  const b = obj(value, '$');
  if (b.format !== BUNDLE_FORMAT) fail('$.format', `"${BUNDLE_FORMAT}"`);
  const proofs = obj(b.proofs, '$.proofs');
  const key = obj(b.publicKey, '$.publicKey');
  if (key.algorithm !== 'Ed25519') fail('$.publicKey.algorithm', '"Ed25519"');
  const bundle: EvidenceBundle = {
    format: BUNDLE_FORMAT,
    tenantId: str(b.tenantId, '$.tenantId'),
    fromSeq: count(b.fromSeq, '$.fromSeq'),
    toSeq: count(b.toSeq, '$.toSeq'),
    entries: arr(b.entries, '$.entries').map((e, i) => entry(e, `$.entries[${i}]`)),
    checkpoints: arr(b.checkpoints, '$.checkpoints').map((c, i) => checkpoint(c, `$.checkpoints[${i}]`)),
    proofs: {
      treeSize: count(proofs.treeSize, '$.proofs.treeSize'),
      inclusion: arr(proofs.inclusion, '$.proofs.inclusion').map((p, i) => ({ seq: count(obj(p, `$.proofs.inclusion[${i}]`).seq, `$.proofs.inclusion[${i}].seq`), ...path(p, `$.proofs.inclusion[${i}]`) })),
      consistency: arr(proofs.consistency, '$.proofs.consistency').map((p, i) => ({
        treeSize: count(obj(p, `$.proofs.consistency[${i}]`).treeSize, `$.proofs.consistency[${i}].treeSize`),
        ...path(p, `$.proofs.consistency[${i}]`),
      })),
    },
    publicKey: { algorithm: 'Ed25519', keyId: str(key.keyId, '$.publicKey.keyId'), spki: str(key.spki, '$.publicKey.spki') },
    exportedAt: str(b.exportedAt, '$.exportedAt'),
  };
  if (bundle.fromSeq < 1 || bundle.toSeq < bundle.fromSeq) fail('$.fromSeq', '1 ≤ fromSeq ≤ toSeq');
  return bundle;
}

function entry(value: unknown, p: string): BundleEntry {
  const e = obj(value, p);
  const actor = obj(e.actor, `${p}.actor`);
  return {
    tenantId: str(e.tenantId, `${p}.tenantId`),
    seq: count(e.seq, `${p}.seq`),
    eventId: str(e.eventId, `${p}.eventId`),
    service: str(e.service, `${p}.service`),
    type: str(e.type, `${p}.type`),
    actor: { kind: str(actor.kind, `${p}.actor.kind`), id: str(actor.id, `${p}.actor.id`), role: str(actor.role, `${p}.actor.role`) },
    subjectId: str(e.subjectId, `${p}.subjectId`),
    occurredAt: str(e.occurredAt, `${p}.occurredAt`),
    recordedAt: str(e.recordedAt, `${p}.recordedAt`),
    payload: str(e.payload, `${p}.payload`),
    prevHash: str(e.prevHash, `${p}.prevHash`),
    hash: str(e.hash, `${p}.hash`),
  };
}

function checkpoint(value: unknown, p: string): BundleCheckpoint {
  const c = obj(value, p);
  return {
    tenantId: str(c.tenantId, `${p}.tenantId`),
    treeSize: count(c.treeSize, `${p}.treeSize`),
    rootHash: str(c.rootHash, `${p}.rootHash`),
    issuedAt: str(c.issuedAt, `${p}.issuedAt`),
    keyId: str(c.keyId, `${p}.keyId`),
    signature: str(c.signature, `${p}.signature`),
  };
}

function path(value: unknown, p: string): PathProof {
  return { path: strings(obj(value, p).path, `${p}.path`) };
}
