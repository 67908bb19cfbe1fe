import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { Model } from 'mongoose';
import type { VerifiedKey } from '../application/verified-key-cache';
import type { VirtualKeyDocument } from './virtual-key.schema';

/**
 * The virtual_keys read model. Tenant-scoped for owners/admins (base class); one deliberate
 * exception, findActiveByHash: an API request names no tenant, its key does, so the lookup is by
 * the key's hash alone (the _id), and the tenant comes from the document found.
 */
export class VirtualKeyRepository extends TenantScopedRepository<VirtualKeyDocument> {
  constructor(model: Model<VirtualKeyDocument>) {
    super(model);
  }

  async add(tenant: TenantId, doc: Omit<VirtualKeyDocument, 'tenantId'>): Promise<void> {
    await this.insertOne(tenant, doc);
  }

  /** The API's lookup: one _id query, projected to what the hot path needs. */
  async findActiveByHash(hash: string): Promise<VerifiedKey | undefined> {
    const doc = await this.model.collection.findOne(
      { _id: hash as never },
      { projection: { tenantId: 1, keyId: 1, createdBy: 1, rateLimitPerMinute: 1, monthlyTokenLimit: 1, allowedModels: 1, revokedAt: 1 } },
    );
    if (!doc || doc.revokedAt) return undefined;
    return {
      hash,
      tenantId: String(doc.tenantId),
      keyId: String(doc.keyId),
      createdBy: String(doc.createdBy ?? ''),
      rateLimitPerMinute: Number(doc.rateLimitPerMinute),
      monthlyTokenLimit: typeof doc.monthlyTokenLimit === 'number' ? doc.monthlyTokenLimit : null,
      allowedModels: Array.isArray(doc.allowedModels) ? doc.allowedModels.map(String) : [],
    };
  }

  /** Owner/admin list, newest first (a scan on FerretDB; keys per tenant are few). */
  listForTenant(tenant: TenantId): Promise<VirtualKeyDocument[]> {
    return this.find(tenant, {}, { sort: { createdAt: -1 } });
  }

  /** Keys one owner/admin created (their access export: metadata only). */
  createdBy(tenant: TenantId, subjectId: string): Promise<VirtualKeyDocument[]> {
    return this.find(tenant, { createdBy: subjectId }, { sort: { createdAt: 1 }, projection: { _id: 0 } });
  }

  findByKeyId(tenant: TenantId, keyId: string): Promise<VirtualKeyDocument | null> {
    return this.findOne(tenant, { keyId });
  }

  async markRevoked(tenant: TenantId, keyId: string, at: Date): Promise<void> {
    await this.updateOne(tenant, { keyId, revokedAt: null }, { $set: { revokedAt: at } });
  }

  /** Throttled by the caller (once per key and minute): by _id, never moving backwards. */
  async touchLastUsed(hash: string, at: Date): Promise<void> {
    await this.model.collection.updateOne({ _id: hash as never }, { $max: { lastUsedAt: at } });
  }
}
