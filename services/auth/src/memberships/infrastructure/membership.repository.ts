import type { Model } from 'mongoose';
import { TenantScopedRepository, tenantId as checkedTenantId } from '@enclave/eventing';
import type { MemberSnapshot } from '../../login-links/domain/login-link';
import { isDuplicateKey } from '../../shared/infrastructure/duplicate-key';
import { MembershipStore, type MembershipUpdate, type SourcePosition } from '../application/membership-store';
import type { Role } from '../../shared/roles';
import type { MembershipDoc } from './membership.schema';

export class MembershipRepository extends TenantScopedRepository<MembershipDoc> implements MembershipStore {
  constructor(model: Model<MembershipDoc>) {
    super(model);
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async findMember(tenantId: string, subjectId: string): Promise<MemberSnapshot | null> {
    const doc = await this.findOne(checkedTenantId(tenantId), { subjectId });
    return doc ? { subjectId: doc.subjectId, role: doc.role, active: doc.active } : null;
  }

  async activeWithRoles(tenantId: string, roles: readonly Role[]): Promise<string[]> {
    const docs = await this.find(checkedTenantId(tenantId), { active: true, role: { $in: [...roles] } });
    return docs.map((d) => d.subjectId).sort();
  }

  async apply(tenantId: string, update: MembershipUpdate, at: SourcePosition): Promise<void> {
    const set = { active: update.active, version: at.version, updatedAt: new Date(), ...(update.role ? { role: update.role } : {}) };
    const upsert = update.role ? { $set: set } : { $set: set, $setOnInsert: { role: 'member' as const } };
    await ignoringStale(() => this.updateOne(checkedTenantId(tenantId), { subjectId: update.subjectId, version: { $lt: at.version } }, upsert, { upsert: true }));
  }
}

/**
 * A version-guarded upsert that meets a row already at this version or newer falls through to
 * an insert and hits the unique index: the event was applied before, so nothing is left to do.
 */
export async function ignoringStale(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
