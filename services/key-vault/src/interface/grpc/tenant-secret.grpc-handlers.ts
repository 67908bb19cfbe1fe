import { GrpcError, GrpcStatus, isUuid, type UnaryHandlers } from '@enclave/platform';
import { keyVaultV1 } from '@enclave/proto';
import type { Logger } from 'pino';
import type { GetTenantSecret } from '../../application/get-tenant-secret';
import type { TenantSecretKind } from '../../domain/secret/secret-kind';
import { translateDecryptErrors } from './decrypt-errors';
import { checkTenant, checkVersion } from './key-vault.grpc-handlers';

type Definition = typeof keyVaultV1.TenantSecretServiceService;

/** TenantSecretService: auth's identity only (enforced per method by the server host). */
export function tenantSecretGrpcHandlers(getSecret: GetTenantSecret, logger: Logger): UnaryHandlers<Definition> {
  const fetch = async (kind: TenantSecretKind, request: { tenantId: string; secretId: string; version: number }, caller: string) => {
    const tenant = checkTenant(request.tenantId);
    if (request.secretId && !isUuid(request.secretId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'secret_id must be a UUID');
    checkVersion(request.version, 'version');
    return translateDecryptErrors(
      () => getSecret.execute({ tenantId: tenant, kind, secretId: request.secretId, version: request.version, caller }),
      { logger, tenantId: tenant, secretId: request.secretId || '(latest)', what: kind === 'smtp-password' ? 'SMTP password' : 'OIDC client secret' },
    );
  };
  return {
    async getSmtpPassword(request, ctx) {
      const secret = await fetch('smtp-password', request, ctx.caller);
      return { secretId: secret.secretId, version: secret.version, password: secret.value };
    },
    async getOidcClientSecret(request, ctx) {
      const secret = await fetch('oidc-client-secret', request, ctx.caller);
      return { secretId: secret.secretId, version: secret.version, clientSecret: secret.value };
    },
  };
}
