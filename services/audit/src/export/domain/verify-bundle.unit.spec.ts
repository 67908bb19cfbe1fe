// With nothing but the bundle, does the offline verifier accept an intact export (whole log or a range) and name the first entry altered, removed, reordered or rewritten, a forged checkpoint, a tampered proof, or a key other than the trusted one?
import type { AuditEntry } from '../../log/domain/audit-entry';
import { entryLeaf } from '../../merkle/domain/merkle-hash';
import { leafArrayHasher } from '../../merkle/domain/merkle-tree';
import { chainOf, checkpointAt, resealed, rewriteFrom, testSigningKey, type TestSigningKey } from '../../test-support/chains.helper.spec';
import { assembleBundle, planBundle } from './assemble-bundle';
import type { EvidenceBundle } from './bundle';
import { parseBundle } from './parse-bundle';
import { verifyBundle } from './verify-bundle';

const key = testSigningKey();
const log = chainOf('t-1', 20);
const SIZES = [5, 12, 20];

function bundleOf(fromSeq: number, toSeq: number, sizes = SIZES, entries: AuditEntry[] = log, signer: TestSigningKey = key): EvidenceBundle {
  const carried = sizes.filter((s, i) => i === sizes.length - 1 || (s >= fromSeq && s <= toSeq));
  const plan = planBundle(fromSeq, toSeq, carried);
  return assembleBundle({
    tenantId: 't-1',
    plan,
    entries: entries.filter((e) => e.seq >= fromSeq && e.seq <= toSeq),
    checkpoints: carried.map((s) => checkpointAt(entries, s, signer)),
    subtree: leafArrayHasher(entries.map((e) => entryLeaf(e.hash))),
    publicKey: { keyId: signer.keyId, spki: signer.spki },
    exportedAt: new Date('2025-03-02T00:00:00Z'),
  });
}

const roundTrip = (b: EvidenceBundle) => parseBundle(JSON.parse(JSON.stringify(b)));
const failureOf = (b: EvidenceBundle) => verifyBundle(b).failure;

describe('intact bundles', () => {
  it('the whole log: every entry checked, every checkpoint root recomputed, no proofs needed', () => {
    const bundle = bundleOf(1, 20);
    expect(bundle.proofs.inclusion).toEqual([]);
    expect(verifyBundle(roundTrip(bundle))).toEqual({
      intact: true,
      tenantId: 't-1',
      fromSeq: 1,
      toSeq: 20,
      keyId: key.keyId,
      entriesChecked: 20,
      checkpointsVerified: 3,
      rootsRecomputed: 3,
      inclusionProofsVerified: 0,
      consistencyProofsVerified: 0,
      anchor: { treeSize: 20, rootHash: bundle.checkpoints[2]!.rootHash, issuedAt: bundle.checkpoints[2]!.issuedAt },
    });
  });

  it('a prefix ending before the anchor: roots recomputed where they can be, inclusion proofs for the anchor', () => {
    expect(verifyBundle(roundTrip(bundleOf(1, 15)))).toMatchObject({ intact: true, entriesChecked: 15, rootsRecomputed: 2, inclusionProofsVerified: 15 });
  });

  it('a range in the middle: inclusion proofs per entry, consistency proofs for the inner checkpoints', () => {
    expect(verifyBundle(roundTrip(bundleOf(8, 15)))).toMatchObject({
      intact: true,
      entriesChecked: 8,
      checkpointsVerified: 2,
      inclusionProofsVerified: 8,
      consistencyProofsVerified: 1,
    });
  });

  it('matches a trusted key given by the reader', () => {
    expect(verifyBundle(bundleOf(3, 9), { trustedPublicKey: key.publicKey }).intact).toBe(true);
  });
});

describe('tampering, named', () => {
  const altered = (b: EvidenceBundle, seq: number, change: (e: EvidenceBundle['entries'][number]) => object) => ({
    ...b,
    entries: b.entries.map((e) => (e.seq === seq ? { ...e, ...change(e) } : e)),
  });

  it.each([
    [1, 20],
    [8, 15],
  ])('an altered entry: hash_mismatch (bundle %i..%i)', (from, to) => {
    expect(failureOf(altered(bundleOf(from, to), 10, () => ({ payload: '{"forged":true}' })))).toMatchObject({ seq: 10, eventId: 't-1-e10', reason: 'hash_mismatch' });
    expect(failureOf(altered(bundleOf(from, to), 10, () => ({ occurredAt: 'not a date' })))).toMatchObject({ seq: 10, reason: 'hash_mismatch' });
    // The same instant written another way is not the text the hash committed to.
    expect(failureOf(altered(bundleOf(from, to), 10, (e) => ({ occurredAt: e.occurredAt.replace('.010Z', '.01Z') })))).toMatchObject({ seq: 10, reason: 'hash_mismatch' });
  });

  it.each([
    [1, 20],
    [8, 15],
  ])('a removed entry: removed, at the missing seq (bundle %i..%i)', (from, to) => {
    const b = bundleOf(from, to);
    expect(failureOf({ ...b, entries: b.entries.filter((e) => e.seq !== 11) })).toEqual({
      seq: 11,
      eventId: '',
      reason: 'removed',
      detail: 'seq 11 is missing (the next entry present is seq 12, t-1-e12)',
    });
  });

  it('the first or last entry of a range removed: removed', () => {
    const b = bundleOf(8, 15);
    expect(failureOf({ ...b, entries: b.entries.slice(1) })).toMatchObject({ seq: 8, eventId: '', reason: 'removed' });
    expect(failureOf({ ...b, entries: b.entries.slice(0, -1) })).toMatchObject({ seq: 15, eventId: '', reason: 'removed' });
  });

  it('two entries swapped: reordered, naming the first displaced entry', () => {
    const b = bundleOf(1, 20);
    const entries = [...b.entries];
    [entries[5], entries[6]] = [entries[6]!, entries[5]!];
    expect(failureOf({ ...b, entries })).toMatchObject({ seq: 6, eventId: 't-1-e6', reason: 'reordered' });
  });

  it('an entry renumbered in place with its hash recomputed: sequence_gap, naming it', () => {
    const b = bundleOf(1, 20);
    const renumbered = resealed(log[8]!, { seq: 10 });
    b.entries = b.entries.map((e) => (e.seq === 9 ? { ...e, seq: 10, hash: renumbered.hash } : e));
    expect(failureOf(b)).toMatchObject({ seq: 10, eventId: 't-1-e9', reason: 'sequence_gap' });
  });

  it('a suffix rewritten with recomputed hashes and links: root_mismatch, named exactly when proofs are carried', () => {
    const rewritten = rewriteFrom(log, 8, { payload: '{"forged":true}' });
    const whole = bundleOf(1, 20);
    whole.entries = bundleOf(1, 20, SIZES, rewritten).entries;
    expect(failureOf(whole)).toMatchObject({ seq: 12, eventId: 't-1-e12', reason: 'root_mismatch', detail: expect.stringContaining('seq 6..12') });
    const range = bundleOf(8, 15);
    range.entries = bundleOf(8, 15, SIZES, rewritten).entries;
    expect(failureOf(range)).toMatchObject({ seq: 9, eventId: 't-1-e9', reason: 'root_mismatch' });
  });

  it('a checkpoint altered after signing, or one of another tenant: bad_signature', () => {
    const b = bundleOf(1, 20);
    const forged = { ...b, checkpoints: b.checkpoints.map((c) => (c.treeSize === 12 ? { ...c, rootHash: 'ab'.repeat(32) } : c)) };
    expect(failureOf(forged)).toMatchObject({ seq: 12, eventId: 't-1-e12', reason: 'bad_signature' });
    expect(failureOf({ ...b, tenantId: 't-2' })).toMatchObject({ reason: 'bad_signature' });
  });

  it('a tampered inclusion or consistency proof: root_mismatch at its entry or checkpoint', () => {
    const b = bundleOf(8, 15);
    const flip = (h: string) => (h[0] === 'a' ? 'b' : 'a') + h.slice(1);
    const badInclusion = { ...b, proofs: { ...b.proofs, inclusion: b.proofs.inclusion.map((p) => (p.seq === 13 ? { ...p, path: [flip(p.path[0]!), ...p.path.slice(1)] } : p)) } };
    expect(failureOf(badInclusion)).toMatchObject({ seq: 13, reason: 'root_mismatch' });
    const badConsistency = { ...b, proofs: { ...b.proofs, consistency: b.proofs.consistency.map((p) => ({ ...p, path: p.path.map(flip) })) } };
    expect(failureOf(badConsistency)).toMatchObject({ seq: 12, eventId: 't-1-e12', reason: 'root_mismatch' });
    expect(failureOf({ ...b, proofs: { ...b.proofs, inclusion: [] } })).toMatchObject({ seq: 8, reason: 'root_mismatch' });
  });

  it('an entry appended past the range, or the last one repeated: uncovered, reordered', () => {
    const b = bundleOf(1, 12);
    const extra = bundleOf(1, 13).entries.at(-1)!;
    expect(failureOf({ ...b, entries: [...b.entries, extra] })).toMatchObject({ seq: 13, reason: 'uncovered' });
    expect(failureOf({ ...b, entries: [...b.entries, b.entries.at(-1)!] })).toMatchObject({ seq: 12, reason: 'reordered' });
  });

  it('the anchor checkpoint dropped: the tail is uncovered', () => {
    const b = bundleOf(1, 15);
    expect(failureOf({ ...b, checkpoints: b.checkpoints.slice(0, -1) })).toMatchObject({ seq: 13, reason: 'uncovered' });
  });

  it('a whole log forged and re-signed with another key: intact against its own key, untrusted_key against the trusted one', () => {
    const mallory = testSigningKey();
    const forged = bundleOf(1, 20, SIZES, rewriteFrom(log, 3, { payload: '{}' }), mallory);
    expect(verifyBundle(forged).intact).toBe(true);
    expect(verifyBundle(forged, { trustedPublicKey: key.publicKey }).failure).toMatchObject({ seq: null, reason: 'untrusted_key' });
  });

  it("a key id that is not the key's: bad_signature", () => {
    const b = bundleOf(1, 20);
    expect(failureOf({ ...b, publicKey: { ...b.publicKey, keyId: 'someone-else' } })).toMatchObject({ seq: null, reason: 'bad_signature' });
  });
});
