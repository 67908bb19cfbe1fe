import type { Model } from 'mongoose';
import { TenantScopedRepository, tenantId as checkedTenantId } from '@enclave/eventing';
import { TenantDirectory, type SourcePosition, type TenantProfile, type TenantUpdate } from '../application/membership-store';
import { ignoringStale } from './membership.repository';
import type { TenantProfileDoc } from './membership.schema';

export class TenantProfileRepository extends TenantScopedRepository<TenantProfileDoc> implements TenantDirectory {
  constructor(model: Model<TenantProfileDoc>) {
    super(model);
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async findProfile(tenantId: string): Promise<TenantProfile | null> {
    const doc = await this.findOne(checkedTenantId(tenantId), {});
    return doc ? toProfile(doc) : null;
  }

  /** Every tenant auth knows, with its retention period (for the retention job). */
  async listProfiles(): Promise<Array<TenantProfile & { tenantId: string }>> {
    // Not tenant-scoped on purpose: the retention job walks every tenant, reading only ids and periods.
    const docs = await this.model.find({}, { tenantId: 1, instanceName: 1, ownerSubjectId: 1, securityLogDays: 1 }).lean<TenantProfileDoc[]>().exec();
    return docs.map((doc) => ({ tenantId: doc.tenantId, ...toProfile(doc) }));
  }

  /** After a purge: the tenant no longer points at the erased owner (mail goes without Reply-To). */
  async forgetOwner(tenantId: string, subjectId: string): Promise<number> {
    const { modified } = await this.updateOne(checkedTenantId(tenantId), { ownerSubjectId: subjectId }, { $set: { ownerSubjectId: '' } });
    return modified;
  }

  async apply(tenantId: string, update: TenantUpdate, at: SourcePosition): Promise<void> {
    const set = {
      ...(update.instanceName !== undefined ? { instanceName: update.instanceName } : {}),
      version: at.version,
      updatedAt: new Date(),
      ...(update.ownerSubjectId !== undefined ? { ownerSubjectId: update.ownerSubjectId } : {}),
      ...(update.securityLogDays !== undefined ? { securityLogDays: update.securityLogDays } : {}),
    };
    const change = update.ownerSubjectId !== undefined ? { $set: set } : { $set: set, $setOnInsert: { ownerSubjectId: '' } };
    await ignoringStale(() => this.updateOne(checkedTenantId(tenantId), { version: { $lt: at.version } }, change, { upsert: true }));
  }
}

function toProfile(doc: TenantProfileDoc): TenantProfile {
  return {
    instanceName: doc.instanceName,
    ownerSubjectId: doc.ownerSubjectId,
    ...(typeof doc.securityLogDays === 'number' && { securityLogDays: doc.securityLogDays }),
  };
}
