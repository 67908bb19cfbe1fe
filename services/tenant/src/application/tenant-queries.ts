import { UnknownTenantError, type TenantRole } from '../domain';
import type { MemberView, SettingsView, TenantProjections } from './ports';

/** Reads served from the projections (`tenant_settings`, `tenant_members`). */
export class TenantQueries {
  constructor(private readonly projections: TenantProjections) {}

  /** Throws UnknownTenantError when the tenant has no settings (it does not exist). */
  async settings(tenantId: string): Promise<SettingsView> {
    const view = await this.projections.settings(tenantId);
    if (!view) throw new UnknownTenantError();
    return view;
  }

  async members(tenantId: string): Promise<MemberView[]> {
    return this.projections.members(tenantId);
  }

  /** The current role of each of these people who is an active member (the others are left out). */
  async activeRoles(tenantId: string, subjectIds: readonly string[]): Promise<Array<{ subjectId: string; role: TenantRole }>> {
    const rows = await Promise.all(subjectIds.map((id) => this.projections.membership(tenantId, id)));
    return rows.filter((row) => row !== null && row.active).map((row) => ({ subjectId: row!.subjectId, role: row!.role }));
  }
}
