import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A person's data key (from key-vault's SubjectKeyService). */
export interface SubjectKey {
  keyId: string;
  /** 32 bytes. */
  key: Buffer;
}

/** What a sealed field is bound to: a ciphertext moved to another person, tenant or field fails to open. */
export interface FieldBinding {
  tenantId: string;
  subjectId: string;
  /** Name of the field ("email", "message.content", ...). */
  field: string;
}

const PREFIX = 'pf1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealedFieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedFieldError';
  }
}

function aad(binding: FieldBinding, keyId: string): Buffer {
  return Buffer.from(JSON.stringify(['pf1', binding.tenantId, binding.subjectId, binding.field, keyId]), 'utf8');
}

/** True for a value produced by sealField (anything else is legacy plaintext). */
export function isSealedField(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** The key id a sealed value needs, without opening it. */
export function sealedKeyId(value: string): string {
  const parts = value.split('.');
  if (parts.length !== 3 || !isSealedField(value) || !parts[1]) throw new SealedFieldError('not a sealed field');
  return parts[1];
}

/** AES-256-GCM: `pf1.<keyId>.<base64url(iv | ciphertext | tag)>`. */
export function sealField(key: SubjectKey, binding: FieldBinding, plaintext: string): string {
  if (key.key.length !== 32) throw new SealedFieldError('a subject key is 32 bytes');
  if (key.keyId.includes('.')) throw new SealedFieldError('a subject key id must not contain "."');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(aad(binding, key.keyId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}${key.keyId}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** Opens a sealed field; throws SealedFieldError when the key, binding or bytes do not match. */
export function openField(key: SubjectKey, binding: FieldBinding, sealed: string): string {
  const keyId = sealedKeyId(sealed);
  if (keyId !== key.keyId) throw new SealedFieldError('sealed with another key');
  const raw = Buffer.from(sealed.slice(PREFIX.length + keyId.length + 1), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SealedFieldError('sealed field is truncated');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(aad(binding, keyId));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedFieldError('sealed field does not open with this key and binding');
  }
}
