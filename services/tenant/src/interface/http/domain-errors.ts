import { ConcurrencyError } from '@enclave/eventing';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type AppError } from '@enclave/platform';
import { TenantDomainError } from '../../domain';

/** The platform error (and so the HTTP status) a tenant domain refusal becomes. */
export function toAppError(error: TenantDomainError): AppError {
  switch (error.code) {
    case 'instance_already_exists':
    case 'member_already_added':
      return new ConflictError(error.message);
    case 'unknown_tenant':
    case 'unknown_member':
    case 'no_pending_transfer':
      return new NotFoundError(error.message);
    case 'cannot_remove_owner':
    case 'invalid_settings':
    case 'owner_role_fixed':
      return new ValidationError(error.message);
    case 'rank_too_low':
    case 'not_a_member':
    case 'transfer_not_allowed':
      return new ForbiddenError(error.message);
    default: {
      const unhandled: never = error.code;
      throw new Error(`unmapped tenant error ${String(unhandled)}`);
    }
  }
}

/** Runs a use case, answering domain refusals with their 4xx (and a lost write race with 409). */
export async function refusalsAsHttp<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TenantDomainError) throw toAppError(error);
    if (error instanceof ConcurrencyError) throw new ConflictError('the tenant was changed concurrently; retry the request');
    throw error;
  }
}
