import { randomBytes } from 'node:crypto';
import type { TenantId } from '@enclave/eventing';
import { dataKeyAad } from '../domain/crypto/aad';
import { KEY_BYTES, zero } from '../domain/crypto/sealed-box';
import type { Clock, DataKeyRepository, KekProvider } from './ports';

export interface UnwrappedDataKey {
  dekVersion: number;
  /** Plaintext data key: the caller zeroes it when done. */
  key: Buffer;
}

/** Per-tenant data keys: created on first use, stored only wrapped by the KEK. */
export class DataKeys {
  constructor(
    private readonly repo: DataKeyRepository,
    private readonly kek: KekProvider,
    private readonly clock: Clock,
  ) {}

  /** The key new secrets are sealed under; generated (version 1) on the tenant's first secret. */
  async active(tenant: TenantId): Promise<UnwrappedDataKey> {
    const existing = await this.repo.findLatest(tenant);
    if (existing) return { dekVersion: existing.dekVersion, key: await this.unwrapRecord(tenant, existing.dekVersion, existing) };
    const dekVersion = 1;
    const key = randomBytes(KEY_BYTES);
    const { kekVersion, wrapped } = await this.kek.wrap(key, dataKeyAad(tenant, dekVersion));
    if (await this.repo.insert({ tenantId: tenant, dekVersion, kekVersion, wrapped, createdAt: this.clock() })) {
      return { dekVersion, key };
    }
    // Another request created the tenant's first key at the same moment: use theirs.
    zero(key);
    return this.active(tenant);
  }

  /** A specific version, to open secrets sealed under it. */
  async version(tenant: TenantId, dekVersion: number): Promise<Buffer | null> {
    const record = await this.repo.findVersion(tenant, dekVersion);
    return record ? this.unwrapRecord(tenant, dekVersion, record) : null;
  }

  private unwrapRecord(tenant: TenantId, dekVersion: number, record: { kekVersion: number; wrapped: Buffer }): Promise<Buffer> {
    return this.kek.unwrap(record.wrapped, record.kekVersion, dataKeyAad(tenant, dekVersion));
  }
}
