import { randomBytes } from 'node:crypto';
import { ConflictError } from '@enclave/platform';
import { dataKeyAad, secretAad } from '../domain/crypto/aad';
import { KEY_BYTES, open, seal, zero } from '../domain/crypto/sealed-box';
import type { Clock, KekProvider, SealedSecretRepository, SecretRef } from './ports';

/** The secret version's data key was destroyed (deleted or retired): it can never be opened. */
export class DataKeyDestroyed extends Error {
  override readonly name = 'DataKeyDestroyed';
  constructor() {
    super('the data key of this secret version was destroyed');
  }
}

/** Versions tried past the wanted one when earlier numbers are taken by orphaned attempts. */
const VERSION_PROBES = 5;

/**
 * Envelope encryption of secrets: each version gets a fresh data key (AES-256-GCM), which seals
 * the plaintext bound to (kind, tenant, secret, version) and is itself stored only wrapped by
 * the KEK. Destroying one data key shreds exactly one version.
 */
export class SecretVault {
  constructor(
    private readonly kek: KekProvider,
    private readonly records: SealedSecretRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Seals `plaintext` as version `from`, or the next free number when an earlier attempt that
   * never got its event left that version behind (gaps are harmless). Returns the version used.
   */
  async seal(ref: SecretRef, from: number, plaintext: Buffer): Promise<number> {
    for (let version = from; version < from + VERSION_PROBES; version += 1) {
      const dek = randomBytes(KEY_BYTES);
      try {
        const { kekVersion, wrapped } = await this.kek.wrap(dek, dataKeyAad(ref.tenantId, ref.kind, ref.secretId, version));
        const box = seal(dek, plaintext, secretAad(ref.tenantId, ref.kind, ref.secretId, version));
        const inserted = await this.records.insert({
          ...ref, version, kekVersion, wrappedDek: wrapped, ...box, createdAt: this.clock(), shreddedAt: null,
        });
        if (inserted) return version;
      } finally {
        zero(dek);
      }
    }
    throw new ConflictError('the secret is being changed concurrently; retry');
  }

  /**
   * The plaintext (zero it after use); null when the version was never sealed; DataKeyDestroyed
   * when shredded; DecryptionFailed when the KEK or the stored data do not match.
   */
  async open(ref: SecretRef, version: number): Promise<Buffer | null> {
    const record = await this.records.get(ref.tenantId, ref.secretId, version);
    if (!record) return null;
    if (record.shreddedAt !== null || record.wrappedDek === null) throw new DataKeyDestroyed();
    const dek = await this.kek.unwrap(record.wrappedDek, record.kekVersion, dataKeyAad(ref.tenantId, ref.kind, ref.secretId, version));
    try {
      return open(dek, record, secretAad(ref.tenantId, ref.kind, ref.secretId, version));
    } finally {
      zero(dek);
    }
  }

  /** Crypto-shredding: destroys the data keys (idempotent). */
  shred(ref: SecretRef, versions: number[] | 'all'): Promise<number> {
    return this.records.shred(ref.tenantId, ref.secretId, versions, this.clock());
  }
}
