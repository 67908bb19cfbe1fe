import type { KeyObject } from 'node:crypto';
import { KeyFormatError, keyIdOf, parseEd25519PublicKey } from './keys';
import { decodeJwtHeader, verifyJwt } from './jwt';
import { TokenInvalid } from './jwt-errors';
import { SERVICE_TOKEN_TYP, SERVICE_TOKEN_USE } from './service-identity';

/** Which public keys speak for which service. Key ids are derived from the keys themselves. */
export class ServiceTrust {
  private readonly byKid = new Map<string, { service: string; key: KeyObject }>();

  /** `{ 'chat-gateway': [publicKey, ...] }` with keys as KeyObjects, PEM or base64 SPKI DER. */
  constructor(entries: Readonly<Record<string, ReadonlyArray<KeyObject | string> | KeyObject | string>>) {
    for (const [service, value] of Object.entries(entries)) {
      const keys = Array.isArray(value) ? value : [value];
      for (const raw of keys as ReadonlyArray<KeyObject | string>) {
        const key = typeof raw === 'string' ? parseEd25519PublicKey(raw) : raw;
        const kid = keyIdOf(key);
        const existing = this.byKid.get(kid);
        if (existing && existing.service !== service) {
          throw new KeyFormatError(`the same key is trusted for both ${existing.service} and ${service}`);
        }
        this.byKid.set(kid, { service, key });
      }
    }
  }

  keyFor(kid: string | undefined): { service: string; key: KeyObject } | undefined {
    return kid === undefined ? undefined : this.byKid.get(kid);
  }

  get services(): string[] {
    return [...new Set([...this.byKid.values()].map((entry) => entry.service))].sort();
  }
}

/**
 * Parses the trusted service keys a service reads from e.g. SERVICE_PUBLIC_KEYS, in either
 * form: a JSON object `{"chat-gateway": "<base64 SPKI>", "auth": ["<old>", "<new>"]}` (what the
 * Helm chart and the local scripts write) or `name:key,name:key` (a name may repeat during key
 * rotation). Errors never include key material.
 */
export function parseServiceTrust(text: string): ServiceTrust {
  const entries: Record<string, string[]> = {};
  const add = (name: string, key: unknown) => {
    if (!/^[a-z][a-z0-9-]*$/.test(name) || typeof key !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) {
      throw new KeyFormatError('expected service names mapped to base64 SPKI Ed25519 public keys');
    }
    (entries[name] ??= []).push(key);
  };
  if (text.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new KeyFormatError('trusted service keys are not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new KeyFormatError('expected a JSON object');
    for (const [name, keys] of Object.entries(parsed)) for (const key of Array.isArray(keys) ? keys : [keys]) add(name, key);
  } else {
    for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
      const colon = item.indexOf(':');
      if (colon <= 0) throw new KeyFormatError("expected comma separated 'service-name:base64-spki-key' pairs");
      add(item.slice(0, colon), item.slice(colon + 1));
    }
  }
  if (Object.keys(entries).length === 0) throw new KeyFormatError('no trusted services listed');
  return new ServiceTrust(entries);
}

export interface VerifyServiceTokenOptions {
  now?: () => number;
  clockSkewSec?: number;
}

/**
 * Verifies a service token addressed to `audience` and returns the calling service's name.
 * The issuer claim must match the service the signing key belongs to.
 */
export function verifyServiceToken(
  token: string,
  audience: string,
  trust: ServiceTrust,
  options: VerifyServiceTokenOptions = {},
): string {
  const header = decodeJwtHeader(token);
  const entry = trust.keyFor(header.kid);
  const claims = verifyJwt(token, () => entry?.key, { ...options, audience });
  if (header.typ !== SERVICE_TOKEN_TYP || claims.token_use !== SERVICE_TOKEN_USE) throw new TokenInvalid('wrong_use');
  if (claims.iss !== entry!.service) throw new TokenInvalid('wrong_issuer');
  return entry!.service;
}
