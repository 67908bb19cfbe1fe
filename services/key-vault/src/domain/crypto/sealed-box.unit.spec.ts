// Does sealing round-trip, and does any change to ciphertext, nonce, tag, key or AAD fail as DecryptionFailed?
import { randomBytes } from 'node:crypto';
import { secretAad, dataKeyAad } from './aad';
import { DecryptionFailed, open, packBox, seal, unpackBox, zero, type SealedBox } from './sealed-box';

const key = randomBytes(32);
const plaintext = Buffer.from('sk-test-0123456789abcdef', 'utf8');
const aad = secretAad('tenant-a', 'provider-key', 'key-1', 1);

function flipFirstByte(buf: Buffer): Buffer {
  const copy = Buffer.from(buf);
  copy[0] = copy[0]! ^ 0x01;
  return copy;
}

describe('seal / open', () => {
  it('opens what it sealed under the same key and AAD', () => {
    const box = seal(key, plaintext, aad);
    expect(open(key, box, aad).equals(plaintext)).toBe(true);
    expect(box.ciphertext.includes(plaintext)).toBe(false);
    expect(box.nonce).toHaveLength(12);
    expect(box.tag).toHaveLength(16);
  });

  it('uses a fresh nonce each time, so equal plaintexts give different ciphertexts', () => {
    const a = seal(key, plaintext, aad);
    const b = seal(key, plaintext, aad);
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  const box = seal(key, plaintext, aad);
  const tampered: Array<[string, () => unknown]> = [
    ['altered ciphertext', () => open(key, { ...box, ciphertext: flipFirstByte(box.ciphertext) }, aad)],
    ['altered nonce', () => open(key, { ...box, nonce: flipFirstByte(box.nonce) }, aad)],
    ['altered tag', () => open(key, { ...box, tag: flipFirstByte(box.tag) }, aad)],
    ['truncated tag', () => open(key, { ...box, tag: box.tag.subarray(0, 8) }, aad)],
    ['AAD of another tenant', () => open(key, box, secretAad('tenant-b', 'provider-key', 'key-1', 1))],
    ['AAD of another secret', () => open(key, box, secretAad('tenant-a', 'provider-key', 'key-2', 1))],
    ['AAD of another version', () => open(key, box, secretAad('tenant-a', 'provider-key', 'key-1', 2))],
    ['AAD of a data key', () => open(key, box, dataKeyAad('tenant-a', 'provider-key', 'key-1', 1))],
    ['AAD of another kind', () => open(key, box, secretAad('tenant-a', 'smtp-password', 'key-1', 1))],
    ['another key', () => open(randomBytes(32), box, aad)],
  ];
  it.each(tampered)('%s -> DecryptionFailed without plaintext', (_name, attempt) => {
    let caught: unknown;
    try {
      attempt();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DecryptionFailed);
    expect(String((caught as Error).message)).not.toContain(plaintext.toString('utf8'));
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => seal(randomBytes(16), plaintext, aad)).toThrow(RangeError);
  });

  it('packs and unpacks a box into one blob', () => {
    const sealed: SealedBox = seal(key, plaintext, aad);
    const back = unpackBox(packBox(sealed));
    expect(open(key, back, aad).equals(plaintext)).toBe(true);
    expect(() => unpackBox(Buffer.alloc(10))).toThrow(DecryptionFailed);
  });

  it('zero() overwrites buffers', () => {
    const secret = Buffer.from('secret');
    zero(secret);
    expect([...secret].every((b) => b === 0)).toBe(true);
  });
});
