import type { KekProvider } from '../../application/kek-provider';
import { DecryptionFailed, open, packBox, seal, unpackBox } from '../../domain/crypto/sealed-box';
import type { KekKeyring } from './kek-keyring';

/**
 * Wraps data keys with AES-256-GCM under versioned local master keys (KEK_KEYS / KEK_FILE).
 * Wrapping always uses the active version; unwrapping uses the version recorded with the wrapped
 * key, so older versions keep working until everything is re-wrapped and they are removed.
 */
export class LocalKekProvider implements KekProvider {
  readonly name = 'local';

  constructor(private readonly keyring: KekKeyring) {}

  get activeVersion(): number {
    return this.keyring.activeVersion;
  }

  get versions(): readonly number[] {
    return [...this.keyring.keys.keys()].sort((a, b) => a - b);
  }

  async wrap(dek: Buffer, aad: Buffer): Promise<{ kekVersion: number; wrapped: Buffer }> {
    const kek = this.keyring.keys.get(this.activeVersion);
    if (!kek) throw new Error('the active key-encryption key is not configured');
    return { kekVersion: this.activeVersion, wrapped: packBox(seal(kek, dek, aad)) };
  }

  async unwrap(wrapped: Buffer, kekVersion: number, aad: Buffer): Promise<Buffer> {
    const kek = this.keyring.keys.get(kekVersion);
    if (!kek) throw new DecryptionFailed('data key', `key-encryption key version ${kekVersion} is not configured`);
    return open(kek, unpackBox(wrapped, 'data key'), aad, 'data key');
  }
}
