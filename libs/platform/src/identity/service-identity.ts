import type { KeyObject } from 'node:crypto';
import { keyIdOf, parseEd25519PrivateKey } from './keys';
import { signJwt } from './jwt';

/** Who this process is when it calls other services. */
export interface ServiceIdentity {
  name: string;
  privateKey: KeyObject;
  kid: string;
}

/** JWS `typ` and claim that set service tokens apart from user session tokens. */
export const SERVICE_TOKEN_TYP = 'enclave-service+jwt';
export const SERVICE_TOKEN_USE = 'service';

/** Identity from config: the private key as PEM or base64 PKCS#8 DER; kid derived from it. */
export function loadServiceIdentity(name: string, privateKeyText: string | KeyObject): ServiceIdentity {
  const privateKey = typeof privateKeyText === 'string' ? parseEd25519PrivateKey(privateKeyText) : privateKeyText;
  return { name, privateKey, kid: keyIdOf(privateKey) };
}

export interface ServiceTokenIssuerOptions {
  /** Token lifetime, seconds (default 60). */
  ttlSec?: number;
  /** Mint a new token when the cached one has less than this left, seconds (default 15). */
  refreshBeforeSec?: number;
  now?: () => number;
}

/** Mints short-lived service tokens per audience and reuses each until shortly before expiry. */
export class ServiceTokenIssuer {
  private readonly cache = new Map<string, { token: string; exp: number }>();
  private readonly ttlSec: number;
  private readonly refreshBeforeSec: number;
  private readonly now: () => number;

  constructor(private readonly identity: ServiceIdentity, options: ServiceTokenIssuerOptions = {}) {
    this.ttlSec = options.ttlSec ?? 60;
    this.refreshBeforeSec = options.refreshBeforeSec ?? 15;
    this.now = options.now ?? Date.now;
  }

  tokenFor(audience: string): string {
    const nowSec = Math.floor(this.now() / 1000);
    const cached = this.cache.get(audience);
    if (cached && cached.exp - nowSec > this.refreshBeforeSec) return cached.token;
    const exp = nowSec + this.ttlSec;
    const token = signJwt(
      { iss: this.identity.name, sub: this.identity.name, aud: audience, iat: nowSec, exp, token_use: SERVICE_TOKEN_USE },
      this.identity.privateKey,
      this.identity.kid,
      SERVICE_TOKEN_TYP,
    );
    this.cache.set(audience, { token, exp });
    return token;
  }
}

const issuers = new WeakMap<ServiceIdentity, ServiceTokenIssuer>();

/** A 60 s token for `caller` to call `audience`, cached per identity and refreshed before expiry. */
export function serviceTokenFor(caller: ServiceIdentity, audience: string): string {
  let issuer = issuers.get(caller);
  if (!issuer) {
    issuer = new ServiceTokenIssuer(caller);
    issuers.set(caller, issuer);
  }
  return issuer.tokenFor(audience);
}
