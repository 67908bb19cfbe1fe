// Do client IPs hash to stable keyed values that hide the raw address?
import { createHmac } from 'node:crypto';
import { hashIp, keyedHash, normalizeIp } from './keyed-hash';

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);

describe('keyed hash', () => {
  it('is HMAC-SHA256 under the key, hex', () => {
    expect(keyedHash(key, 'ada@example.org')).toBe(createHmac('sha256', key).update('ada@example.org').digest('hex'));
  });
});

describe('ip hash', () => {
  it('treats an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(normalizeIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(hashIp(key, '::FFFF:10.1.2.3')).toBe(hashIp(key, '10.1.2.3'));
  });

  it('keeps other IPv6 addresses apart and never contains the ip', () => {
    const hash = hashIp(key, '2001:db8::1');
    expect(hash).not.toBe(hashIp(key, '2001:db8::2'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('depends on the key', () => {
    expect(hashIp(key, '10.1.2.3')).not.toBe(hashIp(otherKey, '10.1.2.3'));
  });
});
