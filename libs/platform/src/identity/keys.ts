import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { toBase64Url } from './base64url';

/** A key text that cannot be used; the message never contains the key material. */
export class KeyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFormatError';
  }
}

const isPem = (text: string) => text.trimStart().startsWith('-----BEGIN');

function decodeDer(text: string, what: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new KeyFormatError(`${what} is neither PEM nor base64 DER`);
  return Buffer.from(compact, 'base64');
}

/** Ed25519 private key from PEM or base64 PKCS#8 DER. */
export function parseEd25519PrivateKey(text: string): KeyObject {
  let key: KeyObject;
  try {
    key = isPem(text)
      ? createPrivateKey({ key: text, format: 'pem' })
      : createPrivateKey({ key: decodeDer(text, 'private key'), format: 'der', type: 'pkcs8' });
  } catch (error) {
    if (error instanceof KeyFormatError) throw error;
    throw new KeyFormatError('private key could not be parsed (expected PKCS#8 PEM or base64 DER)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyFormatError('private key is not an Ed25519 key');
  return key;
}

/** Ed25519 public key from PEM or base64 SPKI DER. */
export function parseEd25519PublicKey(text: string): KeyObject {
  let key: KeyObject;
  try {
    key = isPem(text)
      ? createPublicKey({ key: text, format: 'pem' })
      : createPublicKey({ key: decodeDer(text, 'public key'), format: 'der', type: 'spki' });
  } catch (error) {
    if (error instanceof KeyFormatError) throw error;
    throw new KeyFormatError('public key could not be parsed (expected SPKI PEM or base64 DER)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyFormatError('public key is not an Ed25519 key');
  return key;
}

/** Stable key id: base64url SHA-256 of the SPKI DER, first 16 characters. Same on every side. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return toBase64Url(createHash('sha256').update(der).digest()).slice(0, 16);
}

export interface GeneratedKeypair {
  /** base64 PKCS#8 DER */
  privateKey: string;
  /** base64 SPKI DER */
  publicKey: string;
  kid: string;
}

/** A fresh Ed25519 key pair as config-ready base64 strings (used by local scripts and tests). */
export function generateServiceKeypair(): GeneratedKeypair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    kid: keyIdOf(publicKey),
  };
}
