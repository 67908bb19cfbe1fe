// Are virtual keys issued, recognised, hashed and masked as documented (ek- + 43 base64url)?
import { createHmac } from 'node:crypto';
import { VirtualKeyHasher } from '../infrastructure/key-hasher';
import { bearerToken, formatVirtualKey, lastFourOf, looksLikeVirtualKey } from './key-format';

const pepper = Buffer.alloc(32, 7);

describe('virtual key format', () => {
  it('formats 32 random bytes as ek- + base64url and recognises only that shape', () => {
    const key = formatVirtualKey(Buffer.alloc(32, 255));
    expect(key).toBe(`ek-${'_'.repeat(42)}8`);
    expect(looksLikeVirtualKey(key)).toBe(true);
    expect(looksLikeVirtualKey(key.slice(0, -1))).toBe(false);
    expect(looksLikeVirtualKey(`sk-${key.slice(3)}`)).toBe(false);
    expect(looksLikeVirtualKey(`${key.slice(0, -1)}=`)).toBe(false);
    expect(() => formatVirtualKey(Buffer.alloc(16))).toThrow(RangeError);
    expect(lastFourOf(key)).toBe('___8');
  });

  it('reads the bearer token of an Authorization header', () => {
    expect(bearerToken('Bearer ek-abc123')).toBe('ek-abc123');
    expect(bearerToken('bearer   ek-abc123 ')).toBe('ek-abc123');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('VirtualKeyHasher', () => {
  it('stores HMAC-SHA256(pepper, key) as base64url, different under another pepper', () => {
    const hasher = new VirtualKeyHasher(pepper);
    const key = formatVirtualKey(Buffer.alloc(32, 1));
    expect(hasher.hash(key)).toBe(createHmac('sha256', pepper).update(key).digest('base64url'));
    expect(hasher.hash(key)).not.toBe(new VirtualKeyHasher(Buffer.alloc(32, 8)).hash(key));
    expect(hasher.hash(key)).not.toContain(key.slice(3, 12));
  });

  it('issues a fresh key with its hash from the random source', () => {
    const hasher = new VirtualKeyHasher(pepper);
    const issued = hasher.issue((size) => Buffer.alloc(size, 3));
    expect(issued.key).toBe(formatVirtualKey(Buffer.alloc(32, 3)));
    expect(issued.hash).toBe(hasher.hash(issued.key));
    expect(hasher.issue().key).not.toBe(hasher.issue().key);
  });

  it('refuses a pepper shorter than 32 bytes', () => {
    expect(() => new VirtualKeyHasher(Buffer.alloc(31))).toThrow(/32 bytes/);
  });
});
