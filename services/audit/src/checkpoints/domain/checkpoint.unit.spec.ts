// Is a checkpoint's signed text fixed, does its Ed25519 signature verify with the log key only and break on any field change, is the key id the platform's, and when is a checkpoint made?
import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf } from '@enclave/platform';
import { checkpointText, decideCheckpoint, keyIdOfSpki, signCheckpoint, verifyCheckpointSignature, type UnsignedCheckpoint } from './checkpoint';

const keys = generateKeyPairSync('ed25519');
const keyId = keyIdOf(keys.publicKey);
const unsigned: UnsignedCheckpoint = {
  tenantId: 't-1',
  treeSize: 42,
  rootHash: 'ab'.repeat(32),
  issuedAt: new Date('2025-03-01T10:00:00.123Z'),
};

describe('checkpoint signatures', () => {
  it('signs the fixed five-line text', () => {
    expect(checkpointText(unsigned)).toBe(`enclave-audit-checkpoint/v1\nt-1\n42\n${'ab'.repeat(32)}\n1740823200123`);
  });

  it('verifies with the public key and key id of the signer', () => {
    const checkpoint = signCheckpoint(unsigned, keys.privateKey, keyId);
    expect(checkpoint.keyId).toBe(keyId);
    expect(verifyCheckpointSignature(checkpoint, keys.publicKey, keyId)).toBe(true);
  });

  it.each([
    ['tenantId', { tenantId: 't-2' }],
    ['treeSize', { treeSize: 43 }],
    ['rootHash', { rootHash: 'cd'.repeat(32) }],
    ['issuedAt', { issuedAt: new Date('2025-03-01T10:00:00.124Z') }],
  ])('fails when %s changes', (_field, change) => {
    const checkpoint = signCheckpoint(unsigned, keys.privateKey, keyId);
    expect(verifyCheckpointSignature({ ...checkpoint, ...change }, keys.publicKey, keyId)).toBe(false);
  });

  it('fails with another key, another key id, or a malformed signature', () => {
    const checkpoint = signCheckpoint(unsigned, keys.privateKey, keyId);
    const other = generateKeyPairSync('ed25519');
    expect(verifyCheckpointSignature(checkpoint, other.publicKey, keyId)).toBe(false);
    expect(verifyCheckpointSignature(checkpoint, keys.publicKey, 'another-key-id')).toBe(false);
    expect(verifyCheckpointSignature({ ...checkpoint, signature: 'not base64!' }, keys.publicKey, keyId)).toBe(false);
    expect(verifyCheckpointSignature({ ...checkpoint, signature: 'AAAA' }, keys.publicKey, keyId)).toBe(false);
  });

  it('computes the same key id as @enclave/platform from the SPKI bytes alone', () => {
    expect(keyIdOfSpki(keys.publicKey.export({ format: 'der', type: 'spki' }))).toBe(keyId);
  });
});

describe('decideCheckpoint', () => {
  const base = { treeSize: 10, latestTreeSize: 7, trigger: 'schedule' as const, grewBeyondCheckpointEntries: true };

  it('signs when the tree grew past the latest checkpoint', () => {
    expect(decideCheckpoint(base)).toEqual({ sign: true });
    expect(decideCheckpoint({ ...base, latestTreeSize: 0 })).toEqual({ sign: true });
  });

  it('does not sign an empty log or a tree that did not grow', () => {
    expect(decideCheckpoint({ ...base, treeSize: 0, latestTreeSize: 0 })).toEqual({ sign: false, reason: 'empty_log' });
    expect(decideCheckpoint({ ...base, treeSize: 7 })).toEqual({ sign: false, reason: 'not_grown' });
    expect(decideCheckpoint({ ...base, trigger: 'request', treeSize: 7 })).toEqual({ sign: false, reason: 'not_grown' });
  });

  it('on schedule, does not sign growth made only of checkpoint entries; on request it does', () => {
    expect(decideCheckpoint({ ...base, grewBeyondCheckpointEntries: false })).toEqual({ sign: false, reason: 'only_checkpoint_entries' });
    expect(decideCheckpoint({ ...base, trigger: 'request', grewBeyondCheckpointEntries: false })).toEqual({ sign: true });
  });
});
