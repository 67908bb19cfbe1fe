// Do our Merkle roots and proofs match RFC 6962 (the Certificate Transparency reference vectors and hand-built trees), round-trip for every small tree, and refuse every tampered proof?
import { createHash } from 'node:crypto';
import { EMPTY_ROOT, hashChildren, hashLeaf, toHex } from './merkle-hash';
import { consistencyProof, consistencyRanges, inclusionProof, inclusionRanges, leafArrayHasher, merkleRoot, splitPoint } from './merkle-tree';
import { verifyConsistency, verifyInclusion } from './verify-proofs';

const hex = (h: string) => Buffer.from(h, 'hex');
// The leaf inputs and tree heads of the RFC 6962 reference implementation's tests.
const CT_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const CT_LEAVES = CT_INPUTS.map(hashLeaf);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// [leaf index (0-based), tree size, path]
const CT_INCLUSION: Array<[number, number, string[]]> = [
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];
// [first size, second size, proof]
const CT_CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => hashLeaf(Buffer.from(`leaf-${i}`)));
const flip = (b: Buffer) => {
  const c = Buffer.from(b);
  c[0] = c[0]! ^ 0x01;
  return c;
};

describe('hashing (RFC 6962 §2.1)', () => {
  it('prefixes leaves with 0x00 and nodes with 0x01; the empty tree is SHA-256("")', () => {
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    expect(hashLeaf(hex('ab'))).toEqual(sha(hex('00'), hex('ab')));
    expect(hashChildren(hex('aa'), hex('bb'))).toEqual(sha(hex('01'), hex('aa'), hex('bb')));
    expect(toHex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
  });

  it('splits at the largest power of two below n', () => {
    expect([2, 3, 4, 5, 8, 9, 17].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 16]);
  });
});

describe('merkleRoot', () => {
  it.each(CT_ROOTS.map((root, size) => [size, root] as const))('matches the reference root of the first %i leaves', (size, root) => {
    expect(toHex(merkleRoot(CT_LEAVES.slice(0, size)))).toBe(root);
  });

  it('matches trees built by hand: lopsided right, never padded', () => {
    const [a, b, c, d, e] = leavesOf(5) as [Buffer, Buffer, Buffer, Buffer, Buffer];
    const H = hashChildren;
    expect(merkleRoot([a])).toEqual(a);
    expect(merkleRoot([a, b])).toEqual(H(a, b));
    expect(merkleRoot([a, b, c])).toEqual(H(H(a, b), c));
    expect(merkleRoot([a, b, c, d])).toEqual(H(H(a, b), H(c, d)));
    expect(merkleRoot([a, b, c, d, e])).toEqual(H(H(H(a, b), H(c, d)), e));
    const seven = leavesOf(7);
    const [s0, s1, s2, s3, s4, s5, s6] = seven as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
    expect(merkleRoot(seven)).toEqual(H(H(H(s0, s1), H(s2, s3)), H(H(s4, s5), s6)));
  });
});

describe('inclusion proofs', () => {
  it.each(CT_INCLUSION)('leaf %i of %i gives the reference path, which verifies', (index, size, expected) => {
    const proof = inclusionProof(index, size, leafArrayHasher(CT_LEAVES.slice(0, size)));
    expect(proof.map(toHex)).toEqual(expected);
    expect(verifyInclusion(index, size, CT_LEAVES[index]!, proof, hex(CT_ROOTS[size]!))).toBe(true);
  });

  it('round-trips for every leaf of every tree of 1..20 leaves', () => {
    for (let size = 1; size <= 20; size++) {
      const leaves = leavesOf(size);
      const root = merkleRoot(leaves);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(index, size, leafArrayHasher(leaves));
        expect(verifyInclusion(index, size, leaves[index]!, proof, root)).toBe(true);
      }
    }
  });

  it('refuses a tampered proof, leaf, root or index, a proof of another tree size, and a proof with a node added or dropped', () => {
    for (const size of [1, 2, 3, 5, 8, 13, 20]) {
      const leaves = leavesOf(size);
      const root = merkleRoot(leaves);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(index, size, leafArrayHasher(leaves));
        const ok = (i: number, n: number, leaf: Buffer, p: Buffer[], r: Buffer) => verifyInclusion(i, n, leaf, p, r);
        proof.forEach((_, k) => expect(ok(index, size, leaves[index]!, proof.map((p, j) => (j === k ? flip(p) : p)), root)).toBe(false));
        expect(ok(index, size, flip(leaves[index]!), proof, root)).toBe(false);
        expect(ok(index, size, leaves[index]!, proof, flip(root))).toBe(false);
        if (size > 1) expect(ok((index + 1) % size, size, leaves[index]!, proof, root)).toBe(false);
        // The size is bound to the root by the signed checkpoint; against the next tree's root the proof fails.
        const grown = [...leaves, hashLeaf(Buffer.from('next'))];
        expect(ok(index, size + 1, leaves[index]!, proof, merkleRoot(grown))).toBe(false);
        expect(ok(index, size, leaves[index]!, [...proof, leaves[0]!], root)).toBe(false);
        if (proof.length > 0) expect(ok(index, size, leaves[index]!, proof.slice(0, -1), root)).toBe(false);
        expect(ok(size, size, leaves[index]!, proof, root)).toBe(false);
      }
    }
  });

  it('refuses to plan a proof for a leaf outside the tree', () => {
    expect(() => inclusionRanges(3, 3)).toThrow(RangeError);
    expect(() => inclusionRanges(0, 0)).toThrow(RangeError);
    expect(() => inclusionRanges(-1, 4)).toThrow(RangeError);
    expect(() => inclusionRanges(1.5, 4)).toThrow(RangeError);
  });
});

describe('consistency proofs', () => {
  it.each(CT_CONSISTENCY)('%i → %i gives the reference proof, which verifies', (m, n, expected) => {
    const proof = consistencyProof(m, n, leafArrayHasher(CT_LEAVES.slice(0, n)));
    expect(proof.map(toHex)).toEqual(expected);
    expect(verifyConsistency(m, n, proof, hex(CT_ROOTS[m]!), hex(CT_ROOTS[n]!))).toBe(true);
  });

  it('round-trips for every pair of sizes 1 ≤ m ≤ n ≤ 20', () => {
    for (let n = 1; n <= 20; n++) {
      const leaves = leavesOf(n);
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, n, leafArrayHasher(leaves));
        expect(verifyConsistency(m, n, proof, merkleRoot(leaves.slice(0, m)), merkleRoot(leaves))).toBe(true);
      }
    }
  });

  it('refuses a tampered proof or roots, swapped sizes, and a log whose old part was rewritten', () => {
    for (let n = 2; n <= 20; n++) {
      const leaves = leavesOf(n);
      const rootN = merkleRoot(leaves);
      for (let m = 1; m < n; m++) {
        const rootM = merkleRoot(leaves.slice(0, m));
        const proof = consistencyProof(m, n, leafArrayHasher(leaves));
        proof.forEach((_, k) => expect(verifyConsistency(m, n, proof.map((p, j) => (j === k ? flip(p) : p)), rootM, rootN)).toBe(false));
        expect(verifyConsistency(m, n, proof, flip(rootM), rootN)).toBe(false);
        expect(verifyConsistency(m, n, proof, rootM, flip(rootN))).toBe(false);
        expect(verifyConsistency(n, m, proof, rootN, rootM)).toBe(false);
        expect(verifyConsistency(m, n, [], rootM, rootN)).toBe(false);
        // The new tree's first leaf differs: the old root is no longer a prefix of it.
        const rewritten = [hashLeaf(Buffer.from('forged')), ...leaves.slice(1)];
        const forgedProof = consistencyProof(m, n, leafArrayHasher(rewritten));
        expect(verifyConsistency(m, n, forgedProof, rootM, merkleRoot(rewritten))).toBe(false);
      }
    }
  });

  it('accepts m = n only with an empty proof and equal roots', () => {
    const root = merkleRoot(leavesOf(4));
    expect(consistencyRanges(4, 4)).toEqual([]);
    expect(verifyConsistency(4, 4, [], root, root)).toBe(true);
    expect(verifyConsistency(4, 4, [root], root, root)).toBe(false);
    expect(verifyConsistency(4, 4, [], root, flip(root))).toBe(false);
    expect(verifyConsistency(0, 4, [], root, root)).toBe(false);
    expect(() => consistencyRanges(5, 4)).toThrow(RangeError);
    expect(() => consistencyRanges(0, 4)).toThrow(RangeError);
  });
});
