// The offline verifier: given only an evidence bundle (and optionally a public key the reader
// trusts), is every entry exactly what the log's signed checkpoints committed to? Order of
// checks: the key, each checkpoint's signature, then the entries in seq order (seq continuity,
// chain link, own hash, Merkle inclusion or recomputed roots), then the checkpoints' consistency
// with the anchor. The first failure is reported with the entry it concerns.
//
// verifyBundle is the single-threaded reference. The CPU-heavy part of the entry checks (each
// entry's hash, its Merkle leaf, inclusion proofs, recomputed roots) sits behind EntryHashing, so
// verifyBundleParallel (../parallel) can compute it ahead over ranges in worker threads and run
// exactly these checks, in this order, with these messages.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { GENESIS_HASH } from '../../log/domain/audit-entry';
import type { BreakReason } from '../../log/domain/verify-chain';
import { keyIdOfSpki, verifyCheckpointSignature } from '../../checkpoints/domain/checkpoint';
import { fromHex, isHexHash } from '../../merkle/domain/merkle-hash';
import { verifyConsistency } from '../../merkle/domain/verify-proofs';
import { fromBundleCheckpoint, type BundleCheckpoint, type EvidenceBundle } from './bundle';
import { inlineHashing, planEntries, type EntryHashing, type EntryPlan } from './entry-hashing';
import { BundleFormatError } from './parse-bundle';

/** Bundle-only reasons: the key is not the one the reader trusts; entries no checkpoint covers. */
export type BundleBreakReason = BreakReason | 'untrusted_key' | 'uncovered';

export interface BundleFailure {
  /** The entry concerned; null when the failure is the bundle's key. */
  seq: number | null;
  /** Empty when the entry is absent from the bundle. */
  eventId: string | null;
  reason: BundleBreakReason;
  detail: string;
}

export interface BundleReport {
  intact: boolean;
  tenantId: string;
  fromSeq: number;
  toSeq: number;
  keyId: string;
  entriesChecked: number;
  checkpointsVerified: number;
  rootsRecomputed: number;
  inclusionProofsVerified: number;
  consistencyProofsVerified: number;
  anchor: { treeSize: number; rootHash: string; issuedAt: string } | null;
  failure?: BundleFailure;
}

class Broken extends Error {
  constructor(readonly failure: BundleFailure) {
    super(failure.detail);
  }
}

const broken = (seq: number | null, eventId: string | null, reason: BundleBreakReason, detail: string): never => {
  throw new Broken({ seq, eventId, reason, detail });
};

export interface VerifyOptions {
  trustedPublicKey?: KeyObject;
}

/** The reference: every check on this thread. */
export function verifyBundle(bundle: EvidenceBundle, options: VerifyOptions = {}): BundleReport {
  return verifyBundleWith(bundle, options, (plan) => inlineHashing(bundle.entries, plan));
}

/**
 * Every check in order, with the per-entry hashing supplied for the plan of the bundle's anchor:
 * `hashing` must answer as inlineHashing would (the parallel verifier's precomputed answers do).
 */
export function verifyBundleWith(bundle: EvidenceBundle, options: VerifyOptions, hashing: (plan: EntryPlan) => EntryHashing): BundleReport {
  const report: BundleReport = {
    intact: false,
    tenantId: bundle.tenantId,
    fromSeq: bundle.fromSeq,
    toSeq: bundle.toSeq,
    keyId: bundle.publicKey.keyId,
    entriesChecked: 0,
    checkpointsVerified: 0,
    rootsRecomputed: 0,
    inclusionProofsVerified: 0,
    consistencyProofsVerified: 0,
    anchor: null,
  };
  const key = bundleKey(bundle);
  try {
    checkKey(bundle, key, options.trustedPublicKey);
    const anchor = checkCheckpoints(bundle, key, report);
    const plan = planEntries(bundle, anchor);
    checkEntries(bundle, plan, hashing(plan), report);
    checkConsistency(bundle, anchor, report);
    report.intact = true;
  } catch (error) {
    if (!(error instanceof Broken)) throw error;
    report.failure = error.failure;
  }
  return report;
}

/** The bundle's own key; a BundleFormatError when it is no Ed25519 key. */
export function bundleKey(bundle: EvidenceBundle): { publicKey: KeyObject; der: Buffer } {
  try {
    const der = Buffer.from(bundle.publicKey.spki, 'base64');
    const publicKey = createPublicKey({ key: der, format: 'der', type: 'spki' });
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error('not Ed25519');
    return { publicKey, der };
  } catch {
    throw new BundleFormatError('$.publicKey.spki: expected an Ed25519 public key as base64 SPKI DER');
  }
}

function checkKey(bundle: EvidenceBundle, key: { publicKey: KeyObject; der: Buffer }, trusted: KeyObject | undefined): void {
  if (keyIdOfSpki(key.der) !== bundle.publicKey.keyId) broken(null, null, 'bad_signature', "the bundle's key id is not the id of its key");
  if (trusted && !trusted.export({ format: 'der', type: 'spki' }).equals(key.der)) {
    broken(null, null, 'untrusted_key', "the bundle's public key is not the trusted public key");
  }
}

/** Signatures of every checkpoint; returns the anchor (the last, covering toSeq). */
function checkCheckpoints(bundle: EvidenceBundle, key: { publicKey: KeyObject }, report: BundleReport): BundleCheckpoint {
  const eventIdAt = (seq: number) => bundle.entries.find((e) => e.seq === seq)?.eventId ?? '';
  let previous = 0;
  for (const c of bundle.checkpoints) {
    const valid = c.tenantId === bundle.tenantId && c.treeSize > previous && verifyCheckpointSignature(fromBundleCheckpoint(c), key.publicKey, bundle.publicKey.keyId);
    if (!valid) broken(c.treeSize, eventIdAt(c.treeSize), 'bad_signature', `the checkpoint of tree size ${c.treeSize} is not validly signed by the bundle's key for this tenant, in order`);
    if (!isHexHash(c.rootHash)) broken(c.treeSize, eventIdAt(c.treeSize), 'root_mismatch', `the checkpoint of tree size ${c.treeSize} has no valid root hash`);
    previous = c.treeSize;
    report.checkpointsVerified += 1;
  }
  const anchor = bundle.checkpoints.at(-1);
  if (!anchor || anchor.treeSize < bundle.toSeq) {
    const first = (anchor?.treeSize ?? 0) + 1;
    return broken(Math.max(first, bundle.fromSeq), eventIdAt(Math.max(first, bundle.fromSeq)), 'uncovered', `no signed checkpoint covers seq ${first} to ${bundle.toSeq}`);
  }
  report.anchor = { treeSize: anchor.treeSize, rootHash: anchor.rootHash, issuedAt: anchor.issuedAt };
  return anchor;
}

function checkEntries(bundle: EvidenceBundle, plan: EntryPlan, hashing: EntryHashing, report: BundleReport): void {
  const { fromSeq, toSeq, entries } = bundle;
  const { anchor, recompute, needInclusion, checkpointAt } = plan;
  if (needInclusion && bundle.proofs.treeSize !== anchor.treeSize) broken(fromSeq, '', 'root_mismatch', `the inclusion proofs are for tree size ${bundle.proofs.treeSize}, not the anchor's ${anchor.treeSize}`);
  let lastRootChecked = 0;
  // A range not starting at seq 1 links to an entry the bundle does not hold: its first prevHash
  // is taken as given (the inclusion proof of that entry covers it).
  let head: { seq: number; hash: string | null } = { seq: fromSeq - 1, hash: fromSeq === 1 ? GENESIS_HASH : null };

  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const expected = head.seq + 1;
    if (expected > toSeq) {
      if (e.seq >= fromSeq && e.seq <= toSeq) broken(e.seq, e.eventId, 'reordered', `seq ${e.seq} appears again after seq ${head.seq}`);
      broken(e.seq, e.eventId, 'uncovered', `seq ${e.seq} is outside the bundle's range ${fromSeq}..${toSeq}`);
    }
    if (e.seq !== expected) {
      const where = entries.findIndex((x) => x.seq === expected);
      if (where !== -1) broken(expected, entries[where]!.eventId, 'reordered', `seq ${expected} is not in its place (found seq ${e.seq} there)`);
      if (e.seq > expected && head.hash !== null && e.prevHash === head.hash) broken(e.seq, e.eventId, 'sequence_gap', `seq ${e.seq} follows seq ${head.seq} in the chain: its number was changed`);
      if (e.seq > expected) broken(expected, '', 'removed', `seq ${expected} is missing (the next entry present is seq ${e.seq}, ${e.eventId})`);
      broken(e.seq, e.eventId, 'reordered', `seq ${e.seq} appears again after seq ${head.seq}`);
    }
    if (e.tenantId !== bundle.tenantId) broken(e.seq, e.eventId, 'chain_broken', `seq ${e.seq} belongs to another tenant's log`);
    if (head.hash !== null && e.prevHash !== head.hash) broken(e.seq, e.eventId, 'chain_broken', `seq ${e.seq} does not link to the hash of seq ${head.seq}`);
    // Hashed over the bundle's own texts (times included, verbatim), as the log committed to them.
    if (!hashing.hashMatches(i)) broken(e.seq, e.eventId, 'hash_mismatch', `seq ${e.seq}'s content does not hash to its recorded hash`);
    if (needInclusion) {
      if (!hashing.included(i)) broken(e.seq, e.eventId, 'root_mismatch', `seq ${e.seq} is not included in the signed tree of size ${anchor.treeSize}`);
      report.inclusionProofsVerified += 1;
    }
    if (recompute) {
      const checkpoint = checkpointAt.get(e.seq);
      if (checkpoint) {
        if (hashing.rootHex(i) !== checkpoint.rootHash) {
          broken(e.seq, e.eventId, 'root_mismatch', `entries 1..${e.seq} do not hash to the signed root of tree size ${e.seq}; the change lies in seq ${lastRootChecked + 1}..${e.seq}`);
        }
        lastRootChecked = e.seq;
        report.rootsRecomputed += 1;
      }
    }
    head = { seq: e.seq, hash: e.hash };
    report.entriesChecked += 1;
  }
  if (head.seq < toSeq) broken(head.seq + 1, '', 'removed', `seq ${head.seq + 1} to ${toSeq} are missing from the bundle`);
}

/** Checkpoints whose root the entries could not recompute must be prefixes of the anchor. */
function checkConsistency(bundle: EvidenceBundle, anchor: BundleCheckpoint, report: BundleReport): void {
  const proofs = new Map(bundle.proofs.consistency.map((p) => [p.treeSize, p.path]));
  for (const c of bundle.checkpoints) {
    if (c === anchor || (bundle.fromSeq === 1 && c.treeSize <= bundle.toSeq)) continue;
    const path = proofs.get(c.treeSize);
    const ok =
      path !== undefined &&
      path.every(isHexHash) &&
      verifyConsistency(c.treeSize, anchor.treeSize, path.map(fromHex), fromHex(c.rootHash), fromHex(anchor.rootHash));
    if (!ok) broken(c.treeSize, bundle.entries.find((e) => e.seq === c.treeSize)?.eventId ?? '', 'root_mismatch', `the signed tree of size ${c.treeSize} is not a prefix of the signed tree of size ${anchor.treeSize}`);
    report.consistencyProofsVerified += 1;
  }
}
