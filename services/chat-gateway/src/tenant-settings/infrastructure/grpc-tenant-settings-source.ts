import { GrpcError, GrpcStatus, NotFoundError, UnavailableError, type GrpcClient } from '@enclave/platform';
import type { tenantV1 } from '@enclave/proto';
import type { TenantSettingsSource, TenantSettingsView } from '../application/tenant-settings-cache';
import { toSettingsView } from './settings-mapping';

/** Cache misses only: TenantService.GetTenantSettings with a deadline, retried (it is a read). */
export class GrpcTenantSettingsSource implements TenantSettingsSource {
  constructor(private readonly client: GrpcClient<typeof tenantV1.TenantServiceService>) {}

  async fetch(tenantId: string): Promise<TenantSettingsView> {
    try {
      const response = await this.client.call('getTenantSettings', { tenantId }, { idempotent: true });
      return toSettingsView(response.settings, response.version);
    } catch (error) {
      if (error instanceof GrpcError && error.code === GrpcStatus.NOT_FOUND) throw new NotFoundError('tenant not found');
      throw new UnavailableError('tenant settings are unavailable right now');
    }
  }
}
