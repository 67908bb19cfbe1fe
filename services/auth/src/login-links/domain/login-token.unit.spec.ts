// Are login tokens 256-bit base64url secrets, stored only as their SHA-256, and linked correctly?
import { createHash } from 'node:crypto';
import { generateLoginToken, hashLoginToken, isWellFormedLoginToken, loginLinkUrl } from './login-token';

describe('login token', () => {
  it('is 32 random bytes in base64url (43 characters, no padding)', () => {
    const token = generateLoginToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(isWellFormedLoginToken(token)).toBe(true);
  });

  it('encodes exactly the bytes the random source gives', () => {
    const bytes = Buffer.alloc(32, 0xfb);
    expect(generateLoginToken(() => bytes)).toBe(bytes.toString('base64url'));
  });

  it('refuses a random source that returns the wrong length', () => {
    expect(() => generateLoginToken(() => Buffer.alloc(16))).toThrow('wrong length');
  });

  it('differs on every call', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => generateLoginToken()));
    expect(tokens.size).toBe(50);
  });

  it('is stored as the hex SHA-256 of the token text, not the token', () => {
    const token = generateLoginToken();
    const hash = hashLoginToken(token);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
  });

  it.each(['', 'short', `${'a'.repeat(42)}=`, 'a'.repeat(44), `${'a'.repeat(42)}+`])('rejects malformed token %j', (value) => {
    expect(isWellFormedLoginToken(value)).toBe(false);
  });
});

describe('login link url', () => {
  it('is PUBLIC_BASE_URL/login with the tenant and token as query parameters', () => {
    expect(loginLinkUrl('https://chat.example.org', 't-1', 'abc_-DEF')).toBe('https://chat.example.org/login?tenant=t-1&token=abc_-DEF');
  });

  it('keeps a base path and drops a trailing slash', () => {
    expect(loginLinkUrl('http://127.0.0.1:8080/app/', 't1', 'tok')).toBe('http://127.0.0.1:8080/app/login?tenant=t1&token=tok');
  });
});
