import type { Model } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { TenantRole } from '../../domain';
import type { TenantMemberPurgeDoc } from './tenant-member-purges.schema';
import type { TenantMemberDoc } from './tenant-members.schema';
import { ignoringStale } from './version-guard';

export class TenantMembersRepository extends TenantScopedRepository<TenantMemberDoc> {
  constructor(
    model: Model<TenantMemberDoc>,
    private readonly purges: Model<TenantMemberPurgeDoc>,
  ) {
    super(model);
  }

  async of(tenant: TenantId, subjectId: string): Promise<TenantMemberDoc | null> {
    return this.findOne(tenant, { subjectId });
  }

  /**
   * Erasure: records that member events up to `throughVersion` are not to be projected for the
   * person, THEN deletes their rows. A replayed event writes first and checks the record after
   * (see afterWrite), so whichever runs second removes the row: none survives the race.
   */
  async purge(tenant: TenantId, subjectId: string, throughVersion: number): Promise<number> {
    // Counted first: a replay's own clean-up may delete the row between the record and ours.
    const existing = await this.count(tenant, { subjectId, version: { $lte: throughVersion } });
    // Two racing upserts of the first record: the loser's duplicate key means it exists already.
    await ignoringStale(() =>
      this.purges.updateOne({ tenantId: tenant, subjectId }, { $max: { throughVersion } }, { upsert: true }),
    );
    const deleted = await this.deleteMany(tenant, { subjectId, version: { $lte: throughVersion } });
    return Math.max(existing, deleted);
  }

  async active(tenant: TenantId): Promise<TenantMemberDoc[]> {
    return this.find(tenant, { active: true }, { sort: { addedAt: 1, subjectId: 1 } });
  }

  async added(tenant: TenantId, subjectId: string, role: TenantRole, version: number, at: Date): Promise<void> {
    if (await this.erasedThrough(tenant, subjectId, version)) return;
    await ignoringStale(() =>
      this.updateOne(
        tenant,
        { subjectId, version: { $lt: version } },
        { $set: { role, addedAt: at, active: true, version } },
        { upsert: true },
      ),
    );
    await this.afterWrite(tenant, subjectId);
  }

  async removed(tenant: TenantId, subjectId: string, version: number, at: Date): Promise<void> {
    if (await this.erasedThrough(tenant, subjectId, version)) return;
    await ignoringStale(() =>
      this.updateOne(
        tenant,
        { subjectId, version: { $lt: version } },
        { $set: { active: false, version }, $setOnInsert: { role: 'member', addedAt: at } },
        { upsert: true },
      ),
    );
    await this.afterWrite(tenant, subjectId);
  }

  /** A member's new role; an older event than the row's (or one about a gone row) changes nothing. */
  async roleChanged(tenant: TenantId, subjectId: string, role: TenantRole, version: number): Promise<void> {
    if (await this.erasedThrough(tenant, subjectId, version)) return;
    await this.updateOne(tenant, { subjectId, version: { $lt: version } }, { $set: { role, version } });
    await this.afterWrite(tenant, subjectId);
  }

  /** True when the person's erasure covers the event at `version`. */
  private async erasedThrough(tenant: TenantId, subjectId: string, version: number): Promise<boolean> {
    const purge = await this.purges.findOne({ tenantId: tenant, subjectId }).lean();
    return purge !== null && purge.throughVersion >= version;
  }

  /** Removes a row just written for an erased person from an event their erasure covers. */
  private async afterWrite(tenant: TenantId, subjectId: string): Promise<void> {
    const purge = await this.purges.findOne({ tenantId: tenant, subjectId }).lean();
    if (purge) await this.deleteMany(tenant, { subjectId, version: { $lte: purge.throughVersion } });
  }
}
