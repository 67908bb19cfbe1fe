import type { Model } from 'mongoose';
import { TenantScopedRepository, tenantId as checkedTenantId, type TenantId } from '@enclave/eventing';
import { isDuplicateKey } from '../../shared/infrastructure/duplicate-key';
import { EmailChangeStore } from '../application/email-change-store';
import type { PendingEmailChange } from '../domain/email-change';
import type { EmailChangeClaimDoc, EmailChangeDoc } from './email-change.schema';

export class EmailChangeRepository extends TenantScopedRepository<EmailChangeDoc> implements EmailChangeStore {
  constructor(
    model: Model<EmailChangeDoc>,
    private readonly claims: Model<EmailChangeClaimDoc>,
  ) {
    super(model);
  }

  async init(): Promise<void> {
    await Promise.all([this.model.init(), this.claims.init()]);
    await this.model.createIndexes();
  }

  async save(change: PendingEmailChange): Promise<void> {
    await this.insertOne(checkedTenantId(change.tenantId), {
      _id: change.changeId,
      subjectId: change.subjectId,
      tokenHash: change.tokenHash,
      sealedEmail: change.sealedEmail,
      requestedBy: change.requestedBy,
      createdAt: new Date(change.createdAtMs),
      expiresAt: new Date(change.expiresAtMs),
    });
  }

  async claim(tokenHash: string): Promise<PendingEmailChange | null> {
    // Not tenant-scoped on purpose: the bearer token is the credential and its row names the tenant.
    const doc = await this.model.findOne({ tokenHash }).lean<EmailChangeDoc>().exec();
    if (!doc) return null;
    try {
      await this.claims.collection.insertOne({ _id: doc._id, tenantId: doc.tenantId, claimedAt: new Date() } as never);
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    return toChange(doc);
  }

  async forget(change: PendingEmailChange): Promise<void> {
    await this.deleteMany(checkedTenantId(change.tenantId), { _id: change.changeId });
    await this.claims.deleteMany({ tenantId: change.tenantId, _id: change.changeId }).exec();
  }

  /** Erasure: every change of the person, and their claims; the rows deleted. */
  async deleteOf(tenant: TenantId, subjectId: string): Promise<number> {
    const ids = (await this.find(tenant, { subjectId }, { projection: { _id: 1 } })).map((d) => d._id);
    if (ids.length === 0) return 0;
    const claims = (await this.claims.deleteMany({ tenantId: tenant, _id: { $in: ids } }).exec()).deletedCount;
    return claims + (await this.deleteMany(tenant, { subjectId }));
  }

  /** Retention: changes that expired before cutoffMs (used ones are gone already), and old claims. */
  async deleteExpiredBefore(tenant: TenantId, cutoffMs: number): Promise<number> {
    const cutoff = new Date(cutoffMs);
    const claims = (await this.claims.deleteMany({ tenantId: tenant, claimedAt: { $lt: cutoff } }).exec()).deletedCount;
    return claims + (await this.deleteMany(tenant, { expiresAt: { $lt: cutoff } }));
  }
}

function toChange(doc: EmailChangeDoc): PendingEmailChange {
  return {
    changeId: doc._id,
    tenantId: doc.tenantId,
    subjectId: doc.subjectId,
    tokenHash: doc.tokenHash,
    sealedEmail: doc.sealedEmail,
    requestedBy: { subjectId: doc.requestedBy.subjectId, role: doc.requestedBy.role ?? '' },
    createdAtMs: doc.createdAt.getTime(),
    expiresAtMs: doc.expiresAt.getTime(),
  };
}
