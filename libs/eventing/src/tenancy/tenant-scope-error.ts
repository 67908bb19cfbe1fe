// Raised when a query reaches a tenant-scoped collection without a valid tenant id (for example
// from untyped JavaScript, or a cast) or names a different tenant than the one it is scoped to.
export class TenantScopeError extends Error {
  override readonly name = 'TenantScopeError';
}
