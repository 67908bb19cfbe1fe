import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { formatVirtualKey, VIRTUAL_KEY_RANDOM_BYTES } from '../domain/key-format';

/** Smallest accepted VIRTUAL_KEY_PEPPER, in bytes. */
export const MIN_PEPPER_BYTES = 32;

/**
 * Virtual keys are stored only as HMAC-SHA256(VIRTUAL_KEY_PEPPER, key), base64url: the read
 * model's _id, so verifying a key is one _id lookup. Without the pepper (a deployment secret,
 * not in the database) a copy of the collection does not allow checking guesses offline. The
 * keys have 256 random bits, so no slow password hash is needed.
 */
export class VirtualKeyHasher {
  private readonly pepper: KeyObject;

  constructor(pepper: Buffer) {
    if (pepper.length < MIN_PEPPER_BYTES) throw new RangeError(`VIRTUAL_KEY_PEPPER must be at least ${MIN_PEPPER_BYTES} bytes`);
    this.pepper = createSecretKey(pepper);
  }

  hash(key: string): string {
    return createHmac('sha256', this.pepper).update(key, 'utf8').digest('base64url');
  }

  /** A new key and its hash; the key is returned to its creator once and never stored. */
  issue(random: (size: number) => Buffer = randomBytes): { key: string; hash: string } {
    const key = formatVirtualKey(random(VIRTUAL_KEY_RANDOM_BYTES));
    return { key, hash: this.hash(key) };
  }
}
