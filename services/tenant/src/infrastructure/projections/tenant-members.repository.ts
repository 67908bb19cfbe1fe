import type { Model } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { TenantRole } from '../../domain';
import type { TenantMemberDoc } from './tenant-members.schema';
import { ignoringStale } from './version-guard';

export class TenantMembersRepository extends TenantScopedRepository<TenantMemberDoc> {
  constructor(model: Model<TenantMemberDoc>) {
    super(model);
  }

  async active(tenant: TenantId): Promise<TenantMemberDoc[]> {
    return this.find(tenant, { active: true }, { sort: { addedAt: 1, subjectId: 1 } });
  }

  async added(tenant: TenantId, subjectId: string, role: TenantRole, version: number, at: Date): Promise<void> {
    await ignoringStale(() =>
      this.updateOne(
        tenant,
        { subjectId, version: { $lt: version } },
        { $set: { role, addedAt: at, active: true, version } },
        { upsert: true },
      ),
    );
  }

  async removed(tenant: TenantId, subjectId: string, version: number, at: Date): Promise<void> {
    await ignoringStale(() =>
      this.updateOne(
        tenant,
        { subjectId, version: { $lt: version } },
        { $set: { active: false, version }, $setOnInsert: { role: 'member', addedAt: at } },
        { upsert: true },
      ),
    );
  }
}
