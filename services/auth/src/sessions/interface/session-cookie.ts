import { REFRESH_COOKIE, SESSION_COOKIE } from '@enclave/session';

// The Set-Cookie header is written here rather than through @fastify/cookie's reply.setCookie:
// that plugin loads its serializer with a dynamic import(), which fails inside jest's VM, so
// in-process HTTP tests would lose the cookie. The value (a JWT) is base64url and dots only,
// which needs no encoding.

/** The part of a Fastify reply the session routes use. */
export interface HeaderReply {
  header(name: string, value: string | string[]): unknown;
}

/** The refresh token goes only to auth's own paths (refresh, logout), never to other services. */
export const REFRESH_COOKIE_PATH = '/v1/auth';

/** COOKIE_SECURE=false only for local plain-http development. */
export class SessionCookieSettings {
  constructor(readonly secure: boolean) {}
}

/** An essential cookie only: HttpOnly, SameSite=Strict, Path=/, Secure unless local http. */
export function sessionCookie(settings: SessionCookieSettings, token: string, maxAgeSec: number): string {
  return cookie(SESSION_COOKIE, '/', settings, token, maxAgeSec);
}

/** The same flags, on the refresh token, for auth's paths only. */
export function refreshCookie(settings: SessionCookieSettings, token: string, maxAgeSec: number): string {
  return cookie(REFRESH_COOKIE, REFRESH_COOKIE_PATH, settings, token, maxAgeSec);
}

function cookie(name: string, path: string, settings: SessionCookieSettings, token: string, maxAgeSec: number): string {
  if (!/^[A-Za-z0-9._-]*$/.test(token)) throw new TypeError('session cookie value must be a JWT or a refresh token');
  const maxAge = Math.max(0, Math.floor(maxAgeSec));
  const attributes = [`Max-Age=${maxAge}`, `Path=${path}`, 'HttpOnly', 'SameSite=Strict'];
  if (settings.secure) attributes.push('Secure');
  return [`${name}=${token}`, ...attributes].join('; ');
}

/** The access token (until it expires) and the refresh token (until the sign-in ends). */
export function setSessionCookies(
  reply: HeaderReply,
  settings: SessionCookieSettings,
  access: { token: string; maxAgeSec: number },
  refresh: { token: string; maxAgeSec: number },
): void {
  reply.header('set-cookie', [sessionCookie(settings, access.token, access.maxAgeSec), refreshCookie(settings, refresh.token, refresh.maxAgeSec)]);
}

const EXPIRED = '; Expires=Thu, 01 Jan 1970 00:00:00 GMT';

/** Expires both cookies now (same names, paths and flags, empty values). */
export function clearSessionCookies(reply: HeaderReply, settings: SessionCookieSettings): void {
  reply.header('set-cookie', [`${sessionCookie(settings, '', 0)}${EXPIRED}`, `${refreshCookie(settings, '', 0)}${EXPIRED}`]);
}
