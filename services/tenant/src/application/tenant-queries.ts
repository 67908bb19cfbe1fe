import { UnknownTenantError } from '../domain';
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
}
