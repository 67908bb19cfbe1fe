// A tenant id is a branded string: the only way to get one is tenantId(), which validates it, so
// a raw string from a request or a forgotten argument cannot stand in for a checked tenant id.
declare const tenantIdBrand: unique symbol;
export type TenantId = string & { readonly [tenantIdBrand]: 'TenantId' };

// Ids are UUIDs or similar slugs. No '.' or '$' (Mongo key/operator characters), no whitespace.
const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export class InvalidTenantIdError extends Error {
  override readonly name = 'InvalidTenantIdError';
  constructor() {
    super('tenant id must be 1-128 characters of A-Z, a-z, 0-9, "_" or "-"');
  }
}

export function isTenantId(value: unknown): value is TenantId {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}

/** Validates a tenant id (non-empty, id characters only) and brands it. */
export function tenantId(value: string): TenantId {
  if (!isTenantId(value)) throw new InvalidTenantIdError();
  return value;
}
