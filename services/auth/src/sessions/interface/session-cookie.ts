import { SESSION_COOKIE } from '@enclave/session';

// The Set-Cookie header is written here rather than through @fastify/cookie's reply.setCookie:
// that plugin loads its serializer with a dynamic import(), which fails inside jest's VM, so
// in-process HTTP tests would lose the cookie. The value (a JWT) is base64url and dots only,
// which needs no encoding.

/** The part of a Fastify reply the session routes use. */
export interface HeaderReply {
  header(name: string, value: string): unknown;
}

/** COOKIE_SECURE=false only for local plain-http development. */
export class SessionCookieSettings {
  constructor(readonly secure: boolean) {}
}

/** An essential cookie only: HttpOnly, SameSite=Strict, Path=/, Secure unless local http. */
export function sessionCookie(settings: SessionCookieSettings, token: string, maxAgeSec: number): string {
  if (!/^[A-Za-z0-9._-]*$/.test(token)) throw new TypeError('session cookie value must be a JWT');
  const maxAge = Math.max(0, Math.floor(maxAgeSec));
  const attributes = [`Max-Age=${maxAge}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (settings.secure) attributes.push('Secure');
  return [`${SESSION_COOKIE}=${token}`, ...attributes].join('; ');
}

export function setSessionCookie(reply: HeaderReply, settings: SessionCookieSettings, token: string, maxAgeSec: number): void {
  reply.header('set-cookie', sessionCookie(settings, token, maxAgeSec));
}

/** Expires the cookie now (same name, path and flags, empty value). */
export function clearSessionCookie(reply: HeaderReply, settings: SessionCookieSettings): void {
  reply.header('set-cookie', `${sessionCookie(settings, '', 0)}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`);
}
