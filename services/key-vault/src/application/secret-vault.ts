import type { TenantId } from '@enclave/eventing';
import { secretAad } from '../domain/crypto/aad';
import { DecryptionFailed, open, seal, zero } from '../domain/crypto/sealed-box';
import type { DataKeys } from './data-keys';
import type { Clock, SecretRepository } from './ports';

/** Seals secrets under the tenant's data key and opens them again; the ciphertext lives in `secrets`. */
export class SecretVault {
  constructor(
    private readonly dataKeys: DataKeys,
    private readonly secrets: SecretRepository,
    private readonly clock: Clock,
  ) {}

  async seal(tenant: TenantId, secretId: string, version: number, plaintext: Buffer): Promise<void> {
    const dek = await this.dataKeys.active(tenant);
    try {
      const box = seal(dek.key, plaintext, secretAad(tenant, secretId, version));
      await this.secrets.insert({ tenantId: tenant, secretId, version, dekVersion: dek.dekVersion, ...box, createdAt: this.clock() });
    } finally {
      zero(dek.key);
    }
  }

  /** The plaintext (zero it after use), null when no such secret; DecryptionFailed when it cannot be opened. */
  async open(tenant: TenantId, secretId: string, version: number): Promise<Buffer | null> {
    const record = await this.secrets.get(tenant, secretId, version);
    if (!record) return null;
    const key = await this.dataKeys.version(tenant, record.dekVersion);
    if (!key) throw new DecryptionFailed('secret', 'its data key is missing');
    try {
      return open(key, record, secretAad(tenant, secretId, version));
    } finally {
      zero(key);
    }
  }
}
