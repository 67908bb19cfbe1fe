import { tenantV1 } from '@enclave/proto';
import { isTenantId } from '@enclave/eventing';
import { GrpcError, GrpcStatus, type UnaryHandlers } from '@enclave/platform';
import { effectiveRetention, UnknownTenantError } from '../../domain';
import { settingsToProto } from '../../infrastructure/tenant-event-codec';
import type { TenantQueries } from '../../application';

/** Services that may read tenant settings (settings include the hidden system instruction). */
export const TENANT_SETTINGS_CALLERS = ['chat-gateway', 'auth'] as const;

/** TenantService over gRPC: settings from the `tenant_settings` projection, retention defaults filled in. */
export function tenantGrpcHandlers(queries: TenantQueries): UnaryHandlers<typeof tenantV1.TenantServiceService> {
  return {
    getTenantSettings: async (request) => {
      const tenantId = request.tenantId;
      if (!tenantId) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'tenant_id is required');
      if (!isTenantId(tenantId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'tenant_id is malformed');
      try {
        const view = await queries.settings(tenantId);
        const settings = settingsToProto({ ...view.settings, retention: effectiveRetention(view.settings) });
        return { tenantId: view.tenantId, settings, version: view.version };
      } catch (error) {
        if (error instanceof UnknownTenantError) throw new GrpcError(GrpcStatus.NOT_FOUND, 'tenant not found');
        throw error;
      }
    },
  };
}
