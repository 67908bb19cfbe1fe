import { sign, verify, type KeyObject } from 'node:crypto';
import { fromBase64Url, toBase64Url } from './base64url';
import { TokenExpired, TokenInvalid } from './jwt-errors';

/** Registered claims plus whatever a token type adds; validate extra claims with zod. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

export interface JwtHeader {
  alg: 'EdDSA';
  typ?: string;
  kid?: string;
}

/** Finds the public key for a key id; undefined when the id is not trusted. Keep it a map lookup. */
export type KeyResolver = (kid: string | undefined) => KeyObject | undefined;

export interface VerifyJwtOptions {
  audience?: string;
  issuer?: string | readonly string[];
  /** Tolerated clock difference for exp/nbf/iat, seconds (default 30). */
  clockSkewSec?: number;
  /** Current time in ms (default Date.now). */
  now?: () => number;
  /** Reject tokens without exp (default true). */
  requireExp?: boolean;
}

const MAX_TOKEN_LENGTH = 8192;

/** Compact JWS with EdDSA (Ed25519). */
export function signJwt(payload: JwtClaims, privateKey: KeyObject, kid: string, typ = 'JWT'): string {
  const header: JwtHeader = { alg: 'EdDSA', typ, kid };
  const signingInput = `${toBase64Url(JSON.stringify(header))}.${toBase64Url(JSON.stringify(payload))}`;
  const signature = sign(null, Buffer.from(signingInput), privateKey);
  return `${signingInput}.${toBase64Url(signature)}`;
}

function parseJsonObject(segment: string): Record<string, unknown> {
  const bytes = fromBase64Url(segment);
  if (!bytes) throw new TokenInvalid('malformed');
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TokenInvalid('malformed');
    return value as Record<string, unknown>;
  } catch {
    throw new TokenInvalid('malformed');
  }
}

/** The unverified header, e.g. to pick a key; never trust anything else from it. */
export function decodeJwtHeader(token: string): JwtHeader {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new TokenInvalid('malformed');
  const header = parseJsonObject(token.split('.', 1)[0] ?? '');
  if (header.alg !== 'EdDSA') throw new TokenInvalid('unsupported_alg');
  if (header.kid !== undefined && typeof header.kid !== 'string') throw new TokenInvalid('malformed');
  return header as unknown as JwtHeader;
}

/**
 * Verifies signature then time and audience/issuer claims. Costs one Ed25519 verify.
 * Throws TokenExpired or TokenInvalid only (never raw crypto or JSON errors).
 */
export function verifyJwt(token: string, resolveKey: KeyResolver, options: VerifyJwtOptions = {}): JwtClaims {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new TokenInvalid('malformed');
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenInvalid('malformed');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = decodeJwtHeader(token);
  const key = resolveKey(header.kid);
  if (!key) throw new TokenInvalid('unknown_key');
  const signature = fromBase64Url(signaturePart);
  if (!signature || signature.length !== 64) throw new TokenInvalid('bad_signature');
  let valid: boolean;
  try {
    valid = verify(null, Buffer.from(`${headerPart}.${payloadPart}`), key, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new TokenInvalid('bad_signature');

  const claims = parseJsonObject(payloadPart) as JwtClaims;
  checkTimes(claims, options);
  if (options.audience !== undefined) {
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(options.audience)) throw new TokenInvalid('wrong_audience');
  }
  if (options.issuer !== undefined) {
    const issuers: readonly string[] = typeof options.issuer === 'string' ? [options.issuer] : options.issuer;
    if (typeof claims.iss !== 'string' || !issuers.includes(claims.iss)) throw new TokenInvalid('wrong_issuer');
  }
  return claims;
}

function checkTimes(claims: JwtClaims, options: VerifyJwtOptions): void {
  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const skew = options.clockSkewSec ?? 30;
  const { exp, nbf, iat } = claims;
  for (const value of [exp, nbf, iat]) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) throw new TokenInvalid('malformed');
  }
  if (exp === undefined) {
    if (options.requireExp ?? true) throw new TokenInvalid('missing_exp');
  } else if (nowSec >= exp + skew) {
    throw new TokenExpired();
  }
  if (nbf !== undefined && nowSec + skew < nbf) throw new TokenInvalid('not_yet_valid');
  if (iat !== undefined && iat > nowSec + skew) throw new TokenInvalid('issued_in_future');
}
