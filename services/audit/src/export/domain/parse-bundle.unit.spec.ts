// Which JSON documents are readable evidence bundles, and does an unreadable one say where it is wrong?
import { chainOf } from '../../test-support/chains.helper.spec';
import { BUNDLE_FORMAT, toBundleEntry } from './bundle';
import { BundleFormatError, parseBundle } from './parse-bundle';
import { verifyBundle } from './verify-bundle';

const valid = () => ({
  format: BUNDLE_FORMAT,
  tenantId: 't-1',
  fromSeq: 1,
  toSeq: 2,
  entries: chainOf('t-1', 2).map(toBundleEntry),
  checkpoints: [{ tenantId: 't-1', treeSize: 2, rootHash: 'ab'.repeat(32), issuedAt: '2025-03-01T00:00:00.000Z', keyId: 'k', signature: 'AAAA' }],
  proofs: { treeSize: 2, inclusion: [], consistency: [] },
  publicKey: { algorithm: 'Ed25519', keyId: 'k', spki: 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=' },
  exportedAt: '2025-03-02T00:00:00.000Z',
});

describe('parseBundle', () => {
  it('reads a well-formed bundle', () => {
    expect(parseBundle(valid())).toEqual(valid());
  });

  it.each([
    ['not an object', [], '$: expected an object'],
    ['another format', { ...valid(), format: 'something/v1' }, '$.format'],
    ['entries missing', { ...valid(), entries: undefined }, '$.entries: expected an array'],
    ['a fractional seq', { ...valid(), entries: [{ ...valid().entries[0], seq: 1.5 }] }, '$.entries[0].seq'],
    ['an actor without role', { ...valid(), entries: [{ ...valid().entries[0], actor: { kind: 'person', id: 'x' } }] }, '$.entries[0].actor.role'],
    ['a numeric hash', { ...valid(), checkpoints: [{ ...valid().checkpoints[0], rootHash: 7 }] }, '$.checkpoints[0].rootHash'],
    ['a proof path of numbers', { ...valid(), proofs: { treeSize: 2, inclusion: [{ seq: 1, path: [1] }], consistency: [] } }, '$.proofs.inclusion[0].path[0]'],
    ['another algorithm', { ...valid(), publicKey: { ...valid().publicKey, algorithm: 'RSA' } }, '$.publicKey.algorithm'],
    ['toSeq before fromSeq', { ...valid(), fromSeq: 3 }, '$.fromSeq'],
  ])('refuses %s, naming where', (_label, value, where) => {
    expect(() => parseBundle(value)).toThrow(BundleFormatError);
    expect(() => parseBundle(value)).toThrow(where);
  });

  it('calls a public key that is not Ed25519 SPKI unreadable', () => {
    const bundle = parseBundle({ ...valid(), publicKey: { algorithm: 'Ed25519', keyId: 'k', spki: 'bm90IGEga2V5' } });
    expect(() => verifyBundle(bundle)).toThrow(BundleFormatError);
  });
});
