// Do emails hash to stable keyed values that hide the raw input?
import { createHmac } from 'node:crypto';
import { hashEmail, normalizeEmail } from './keyed-hash';

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);

describe('email hash', () => {
  it('is HMAC-SHA256 of the lower-cased email under EMAIL_HASH_KEY', () => {
    expect(hashEmail(key, 'Ada@Example.ORG')).toBe(createHmac('sha256', key).update('ada@example.org').digest('hex'));
  });

  it('ignores case and surrounding spaces', () => {
    expect(hashEmail(key, '  ADA@example.org ')).toBe(hashEmail(key, 'ada@example.org'));
    expect(normalizeEmail(' Ada@Example.org ')).toBe('ada@example.org');
  });

  it('depends on the key', () => {
    expect(hashEmail(key, 'ada@example.org')).not.toBe(hashEmail(otherKey, 'ada@example.org'));
  });
});
