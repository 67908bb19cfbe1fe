// Cookie parsing and Set-Cookie serialization (RFC 6265) on Fastify, with node built-ins only.
// @fastify/cookie loads the ESM-only `cookie` package with import(), which fails inside jest
// without --experimental-vm-modules; this keeps every service's HTTP tests runnable.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Cookies from the Cookie header (same shape as @fastify/cookie). */
    cookies: { [cookieName: string]: string | undefined };
  }
}

export interface CookieOptions {
  /** Lifetime in seconds; 0 deletes the cookie. */
  maxAgeSec?: number;
  expires?: Date;
  /** Default '/'. */
  path?: string;
  domain?: string;
  /** Default true. */
  secure?: boolean;
  /** Default true. */
  httpOnly?: boolean;
  /** Default 'lax'. */
  sameSite?: 'strict' | 'lax' | 'none';
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ATTRIBUTE_VALUE = /^[\x21-\x3a\x3c-\x7e]+$/; // printable ASCII except ';'

/** Name → value from a Cookie header; the first occurrence of a name wins, bad escapes stay raw. */
export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in cookies) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies[name] = value.includes('%') ? decodeURIComponent(value) : value;
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/** A Set-Cookie header value; the value is percent-encoded, names and attributes validated. */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!TOKEN.test(name)) throw new TypeError('invalid cookie name');
  const parts = [`${name}=${encodeURIComponent(value)}`];
  const path = options.path ?? '/';
  if (!ATTRIBUTE_VALUE.test(path)) throw new TypeError('invalid cookie path');
  parts.push(`Path=${path}`);
  if (options.domain !== undefined) {
    if (!/^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(options.domain)) throw new TypeError('invalid cookie domain');
    parts.push(`Domain=${options.domain}`);
  }
  if (options.maxAgeSec !== undefined) {
    if (!Number.isInteger(options.maxAgeSec)) throw new TypeError('cookie maxAgeSec must be an integer');
    parts.push(`Max-Age=${options.maxAgeSec}`);
  }
  if (options.expires) parts.push(`Expires=${options.expires.toUTCString()}`);
  if (options.httpOnly ?? true) parts.push('HttpOnly');
  const sameSite = options.sameSite ?? 'lax';
  if (sameSite === 'none' && options.secure === false) throw new TypeError('SameSite=None cookies must be Secure');
  if (options.secure ?? true) parts.push('Secure');
  parts.push(`SameSite=${sameSite[0]!.toUpperCase()}${sameSite.slice(1)}`);
  return parts.join('; ');
}

/** Adds a Set-Cookie header (several calls add several headers). */
export function setCookie(reply: FastifyReply, name: string, value: string, options?: CookieOptions): void {
  reply.header('set-cookie', serializeCookie(name, value, options));
}

/** Tells the browser to drop a cookie; pass the same path/domain it was set with. */
export function clearCookie(reply: FastifyReply, name: string, options: Pick<CookieOptions, 'path' | 'domain' | 'secure' | 'sameSite'> = {}): void {
  reply.header('set-cookie', serializeCookie(name, '', { ...options, maxAgeSec: 0, expires: new Date(0) }));
}

/** Fills request.cookies on every request of this Fastify instance. */
export function installCookieParsing(fastify: FastifyInstance): void {
  // Fastify wants reference-typed decorators initialised to null, then set per request.
  fastify.decorateRequest('cookies', null as unknown as FastifyRequest['cookies']);
  fastify.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    request.cookies = parseCookieHeader(request.headers.cookie);
    done();
  });
}
