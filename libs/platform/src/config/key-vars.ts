import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { KeyFormatError, parseEd25519PrivateKey, parseEd25519PublicKey } from '../identity/keys';
import { parseServiceTrust, type ServiceTrust } from '../identity/service-trust';

function parsedVar<T>(parse: (text: string) => T) {
  return z.string().transform((text, ctx): T => {
    try {
      return parse(text);
    } catch (error) {
      // KeyFormatError messages describe the shape, never the key material.
      ctx.addIssue({ code: 'custom', message: error instanceof KeyFormatError ? error.message : 'could not be parsed' });
      return z.NEVER;
    }
  });
}

/** Ed25519 private key as PEM or base64 PKCS#8 DER. */
export function ed25519PrivateKeyVar(): z.ZodType<KeyObject, string> {
  return parsedVar(parseEd25519PrivateKey);
}

/** Ed25519 public key as PEM or base64 SPKI DER. */
export function ed25519PublicKeyVar(): z.ZodType<KeyObject, string> {
  return parsedVar(parseEd25519PublicKey);
}

/** `service:base64-spki,service:base64-spki` — the services allowed to call this one. */
export function serviceTrustVar(): z.ZodType<ServiceTrust, string> {
  return parsedVar(parseServiceTrust);
}
