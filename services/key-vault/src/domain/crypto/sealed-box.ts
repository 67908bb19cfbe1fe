import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// AES-256-GCM authenticated encryption of small secrets (provider keys, data keys). The AAD
// binds a box to where it belongs (tenant, secret id, version), so a ciphertext copied to
// another record fails to open instead of decrypting under the wrong identity.

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export interface SealedBox {
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** Opening failed: wrong key, altered ciphertext/nonce/tag, or AAD of another record. */
export class DecryptionFailed extends Error {
  override readonly name = 'DecryptionFailed';
  constructor(what: string, why = 'wrong key, or the stored data or its binding was altered') {
    super(`${what} could not be decrypted: ${why}`);
  }
}

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer, nonce: Buffer = randomBytes(NONCE_BYTES)): SealedBox {
  assertKey(key);
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`nonce must be ${NONCE_BYTES} bytes`);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
}

/** Returns the plaintext (the caller zeroes it after use) or throws DecryptionFailed. */
export function open(key: Buffer, box: SealedBox, aad: Buffer, what = 'secret'): Buffer {
  assertKey(key);
  if (box.nonce.length !== NONCE_BYTES || box.tag.length !== TAG_BYTES) throw new DecryptionFailed(what);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, box.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(box.tag);
    const head = decipher.update(box.ciphertext);
    // final() throws on a bad tag: the partial plaintext in `head` is wiped before anyone sees it.
    let tail: Buffer;
    try {
      tail = decipher.final();
    } catch (error) {
      zero(head);
      throw error;
    }
    const plaintext = Buffer.concat([head, tail]);
    zero(head, tail);
    return plaintext;
  } catch {
    throw new DecryptionFailed(what);
  }
}

/** One opaque blob: nonce | tag | ciphertext (used for wrapped data keys). */
export function packBox(box: SealedBox): Buffer {
  return Buffer.concat([box.nonce, box.tag, box.ciphertext]);
}

export function unpackBox(blob: Buffer, what = 'secret'): SealedBox {
  if (blob.length < NONCE_BYTES + TAG_BYTES) throw new DecryptionFailed(what);
  return {
    nonce: blob.subarray(0, NONCE_BYTES),
    tag: blob.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES),
    ciphertext: blob.subarray(NONCE_BYTES + TAG_BYTES),
  };
}

/** Overwrites key material or plaintext once it is no longer needed. */
export function zero(...buffers: Buffer[]): void {
  for (const b of buffers) b.fill(0);
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`AES-256 key must be ${KEY_BYTES} bytes`);
}
