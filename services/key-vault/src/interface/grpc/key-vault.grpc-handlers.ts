import { isTenantId, type TenantId } from '@enclave/eventing';
import { GrpcError, GrpcStatus, isUuid, type UnaryHandlers } from '@enclave/platform';
import { keyVaultV1 } from '@enclave/proto';
import type { Logger } from 'pino';
import type { GetProviderCredential } from '../../application/get-provider-credential';
import { DecryptionFailed } from '../../domain/crypto/sealed-box';
import { MalformedCredential } from '../../domain/provider-key/provider-credential';

type Definition = typeof keyVaultV1.KeyVaultServiceService;

/**
 * KeyVaultService over gRPC. Who may call is enforced by the server host (service token →
 * UNAUTHENTICATED, caller not allowed → PERMISSION_DENIED) before these handlers run.
 */
export function keyVaultGrpcHandlers(getCredential: GetProviderCredential, logger: Logger): UnaryHandlers<Definition> {
  return {
    async getProviderCredential(request, ctx) {
      if (!request.tenantId) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'tenant_id is required');
      if (!isTenantId(request.tenantId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'tenant_id is malformed');
      if (request.keyId && !isUuid(request.keyId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'key_id must be a UUID');
      const tenant: TenantId = request.tenantId;
      try {
        const result = await getCredential.execute({ tenantId: tenant, keyId: request.keyId, caller: ctx.caller });
        return { keyId: result.keyId, keyVersion: result.keyVersion, provider: result.provider, baseUrl: result.baseUrl, apiKey: result.apiKey };
      } catch (error) {
        if (error instanceof DecryptionFailed || error instanceof MalformedCredential) {
          logger.error({ err: `${error.name}: ${error.message}`, tenantId: tenant, keyId: request.keyId || '(default)' }, 'provider key cannot be decrypted');
          throw new GrpcError(
            GrpcStatus.FAILED_PRECONDITION,
            'the stored provider key cannot be decrypted with the configured key-encryption keys (wrong KEK or altered data)',
          );
        }
        throw error;
      }
    },
  };
}
