import { isTenantId, type TenantId } from './tenant-id';
import { TenantScopeError } from './tenant-scope-error';

type Filter = Record<string, unknown>;

/**
 * Merges the tenant into a filter, refusing (at run time, for callers the compiler cannot see)
 * a missing or invalid tenant id and a filter that names another tenant.
 */
export function scopeFilter<F extends Filter>(tenant: TenantId, filter?: F): F & { tenantId: TenantId } {
  if (!isTenantId(tenant)) {
    throw new TenantScopeError('tenant-scoped query refused: it carries no valid tenant id');
  }
  const given = filter ?? ({} as F);
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new TenantScopeError('tenant-scoped query refused: the filter must be an object');
  }
  if ('tenantId' in given && given.tenantId !== tenant) {
    throw new TenantScopeError('tenant-scoped query refused: the filter names another tenant');
  }
  return { ...given, tenantId: tenant };
}

/** Refuses an update that would move a document to another tenant. */
export function assertUpdateKeepsTenant(update: Filter): void {
  if (typeof update !== 'object' || update === null) {
    throw new TenantScopeError('tenant-scoped update refused: the update must be an object');
  }
  const touches = (part: unknown): boolean =>
    typeof part === 'object' && part !== null && 'tenantId' in part;
  if (touches(update) || touches(update.$set) || touches(update.$unset) || touches(update.$rename)) {
    throw new TenantScopeError('tenant-scoped update refused: it must not change tenantId');
  }
}
