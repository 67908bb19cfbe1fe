import { isTenantId, type TenantId } from '@enclave/eventing';
import { GrpcError, GrpcStatus, isUuid, type UnaryHandlers } from '@enclave/platform';
import { keyVaultV1 } from '@enclave/proto';
import type { Logger } from 'pino';
import type { GetProviderCredential } from '../../application/get-provider-credential';
import { translateDecryptErrors } from './decrypt-errors';

type Definition = typeof keyVaultV1.KeyVaultServiceService;

/**
 * KeyVaultService over gRPC. Who may call is enforced by the server host (service token →
 * UNAUTHENTICATED, caller not chat-gateway → PERMISSION_DENIED) before these handlers run.
 */
export function keyVaultGrpcHandlers(getCredential: GetProviderCredential, logger: Logger): UnaryHandlers<Definition> {
  return {
    async getProviderCredential(request, ctx) {
      const tenant = checkTenant(request.tenantId);
      if (request.keyId && !isUuid(request.keyId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'key_id must be a UUID');
      checkVersion(request.keyVersion, 'key_version');
      const result = await translateDecryptErrors(
        () => getCredential.execute({ tenantId: tenant, keyId: request.keyId, keyVersion: request.keyVersion, caller: ctx.caller }),
        { logger, tenantId: tenant, secretId: request.keyId || '(default)', what: 'provider key' },
      );
      return { keyId: result.keyId, keyVersion: result.keyVersion, provider: result.provider, baseUrl: result.baseUrl, apiKey: result.apiKey };
    },
  };
}

export function checkTenant(tenantId: string): TenantId {
  if (!tenantId) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'tenant_id is required');
  if (!isTenantId(tenantId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'tenant_id is malformed');
  return tenantId;
}

export function checkVersion(version: number, field: string): void {
  if (!Number.isInteger(version) || version < 0) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, `${field} must be 0 (current) or a positive version`);
}
