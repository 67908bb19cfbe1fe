// Are Cookie headers parsed leniently and Set-Cookie values built safely with secure defaults?
import { parseCookieHeader, serializeCookie } from './cookies';

describe('parseCookieHeader', () => {
  it('reads names and values, decoding escapes and quotes, first occurrence winning', () => {
    expect(parseCookieHeader('a=1; b="two"; c=x%20y; a=ignored; =nameless; junk; d=%E0%A4%A')).toEqual({
      a: '1', b: 'two', c: 'x y', d: '%E0%A4%A',
    });
    expect(parseCookieHeader(undefined)).toEqual({});
  });

  it('does not let a cookie named __proto__ pollute anything', () => {
    const cookies = parseCookieHeader('__proto__=x; toString=y');
    expect(cookies.toString).toBe('y');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('serializeCookie', () => {
  it('defaults to HttpOnly, Secure, SameSite=Lax on path /', () => {
    expect(serializeCookie('sid', 'a;b c')).toBe('sid=a%3Bb%20c; Path=/; HttpOnly; Secure; SameSite=Lax');
  });

  it('writes the given attributes', () => {
    expect(serializeCookie('s', 'v', { maxAgeSec: 3600, domain: 'example.com', path: '/api', sameSite: 'strict', httpOnly: false, secure: false }))
      .toBe('s=v; Path=/api; Domain=example.com; Max-Age=3600; SameSite=Strict');
  });

  it('refuses names, paths and domains that could inject attributes', () => {
    expect(() => serializeCookie('a;b', 'v')).toThrow('invalid cookie name');
    expect(() => serializeCookie('a', 'v', { path: '/; Domain=evil.com' })).toThrow('invalid cookie path');
    expect(() => serializeCookie('a', 'v', { domain: 'evil.com; x' })).toThrow('invalid cookie domain');
    expect(() => serializeCookie('a', 'v', { sameSite: 'none', secure: false })).toThrow('must be Secure');
    expect(() => serializeCookie('a', 'v', { maxAgeSec: 1.5 })).toThrow('integer');
  });
});
