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
    return doc ? { instanceName: doc.instanceName, ownerSubjectId: doc.ownerSubjectId } : null;
  }

  async apply(tenantId: string, update: TenantUpdate, at: SourcePosition): Promise<void> {
    const set = {
      instanceName: update.instanceName,
      version: at.version,
      updatedAt: new Date(),
      ...(update.ownerSubjectId !== undefined ? { ownerSubjectId: update.ownerSubjectId } : {}),
    };
    const change = update.ownerSubjectId !== undefined ? { $set: set } : { $set: set, $setOnInsert: { ownerSubjectId: '' } };
    await ignoringStale(() => this.updateOne(checkedTenantId(tenantId), { version: { $lt: at.version } }, change, { upsert: true }));
  }
}
