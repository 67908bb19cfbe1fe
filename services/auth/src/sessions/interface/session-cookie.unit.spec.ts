// Is the session cookie essential-only: HttpOnly, SameSite=Strict, Path=/, Secure unless local http?
import { sessionCookie, SessionCookieSettings, clearSessionCookie } from './session-cookie';

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

  it('is cleared with an empty value that expires now', () => {
    const headers: Record<string, string> = {};
    clearSessionCookie({ header: (name, value) => (headers[name] = value) }, new SessionCookieSettings(true));
    expect(headers['set-cookie']).toBe('enclave_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  });
});
