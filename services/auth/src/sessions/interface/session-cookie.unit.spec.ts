// Is the session cookie essential-only: HttpOnly, SameSite=Strict, Path=/, Secure unless local http?
import { sessionCookie, SessionCookieSettings, clearSessionCookies, refreshCookie } from './session-cookie';

describe('session cookie', () => {
  it('carries the JWT with every protective flag', () => {
    expect(sessionCookie(new SessionCookieSettings(true), 'a.b.c', 43_200.9)).toBe(
      'enclave_session=a.b.c; Max-Age=43200; Path=/; HttpOnly; SameSite=Strict; Secure',
    );
  });

  it('drops Secure only when COOKIE_SECURE=false', () => {
    expect(sessionCookie(new SessionCookieSettings(false), 'a.b.c', 60)).not.toContain('Secure');
  });

  it('refuses a value that could inject attributes', () => {
    expect(() => sessionCookie(new SessionCookieSettings(true), 'x; Domain=evil', 60)).toThrow(TypeError);
  });

  it('sends the refresh token only to auth\'s paths', () => {
    expect(refreshCookie(new SessionCookieSettings(true), 'sid.secret', 600)).toBe(
      'enclave_refresh=sid.secret; Max-Age=600; Path=/v1/auth; HttpOnly; SameSite=Strict; Secure',
    );
  });

  it('is cleared, with the refresh cookie, by empty values that expire now', () => {
    const headers: Record<string, string | string[]> = {};
    clearSessionCookies({ header: (name, value) => (headers[name] = value) }, new SessionCookieSettings(true));
    expect(headers['set-cookie']).toEqual([
      'enclave_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      'enclave_refresh=; Max-Age=0; Path=/v1/auth; HttpOnly; SameSite=Strict; Secure; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ]);
  });
});
