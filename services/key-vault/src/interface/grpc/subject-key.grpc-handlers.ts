import { GrpcError, GrpcStatus, type UnaryHandlers } from '@enclave/platform';
import type { keyVaultV1 } from '@enclave/proto';
import type { Logger } from 'pino';
import { SubjectKeyShreddedError, type GetSubjectKey } from '../../application/get-subject-key';
import { DecryptionFailed } from '../../domain/crypto/sealed-box';
import { isSubjectId } from '../../domain/subject-key/subject-key';
import { checkTenant } from './key-vault.grpc-handlers';

type Definition = typeof keyVaultV1.SubjectKeyServiceService;

/**
 * SubjectKeyService: auth, chat-gateway and audit only (enforced by the server host). Shredded
 * → FAILED_PRECONDITION "subject key shredded" (callers read that as "erased"); absent without
 * create → NOT_FOUND. A key that cannot be unwrapped is INTERNAL, never "shredded".
 */
export function subjectKeyGrpcHandlers(getKey: GetSubjectKey, logger: Logger): UnaryHandlers<Definition> {
  return {
    async getSubjectKey(request, ctx) {
      const tenant = checkTenant(request.tenantId);
      if (!request.subjectId) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'subject_id is required');
      if (!isSubjectId(request.subjectId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'subject_id is malformed');
      try {
        const { keyId, key } = await getKey.execute({ tenantId: tenant, subjectId: request.subjectId, create: request.create, caller: ctx.caller });
        return { keyId, key };
      } catch (error) {
        if (error instanceof SubjectKeyShreddedError) throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, 'subject key shredded');
        if (error instanceof DecryptionFailed) {
          logger.error({ err: `${error.name}: ${error.message}`, tenantId: tenant }, 'subject key cannot be unwrapped');
          throw new GrpcError(GrpcStatus.INTERNAL, 'the subject key cannot be unwrapped with the configured key-encryption keys');
        }
        throw error;
      }
    },
  };
}
