import type { TenantProjections } from './ports';

export interface TenantSubjectDocument {
  tenantId: string;
  subjectId: string;
  /** The person's membership of the tenant (none once erased or never added). */
  memberships: Array<{ role: string; addedAt: string; active: boolean }>;
}

/** What tenant holds about a person, for audit's access / portability export. */
export class ExportSubjectData {
  constructor(private readonly projections: TenantProjections) {}

  async execute(tenantId: string, subjectId: string): Promise<TenantSubjectDocument> {
    const membership = await this.projections.membership(tenantId, subjectId);
    return {
      tenantId,
      subjectId,
      memberships: membership ? [{ role: membership.role, addedAt: membership.addedAt.toISOString(), active: membership.active }] : [],
    };
  }
}
