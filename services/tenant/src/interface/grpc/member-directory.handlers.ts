import { tenantV1 } from '@enclave/proto';
import { isTenantId } from '@enclave/eventing';
import { GrpcError, GrpcStatus, type UnaryHandlers } from '@enclave/platform';
import type { TenantQueries } from '../../application';

/** Services that rank people before one acts on another's account: audit (data-subject requests), chat-gateway (admin reads of a member's chats). */
export const MEMBER_DIRECTORY_CALLERS = ['audit', 'chat-gateway'] as const;

export const MAX_SUBJECTS_PER_CALL = 10;
const SUBJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** MemberDirectoryService over gRPC: current roles from the `tenant_members` projection. */
export function memberDirectoryGrpcHandlers(queries: TenantQueries): UnaryHandlers<typeof tenantV1.MemberDirectoryServiceService> {
  return {
    getMemberRoles: async (request) => {
      if (!isTenantId(request.tenantId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'tenant_id is missing or malformed');
      const ids = [...new Set(request.subjectIds)];
      if (ids.length === 0 || ids.length > MAX_SUBJECTS_PER_CALL) {
        throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, `subject_ids must hold 1 to ${MAX_SUBJECTS_PER_CALL} ids`);
      }
      if (!ids.every((id) => SUBJECT_ID.test(id))) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'subject_ids holds a malformed id');
      return { members: await queries.activeRoles(request.tenantId, ids) };
    },
  };
}
