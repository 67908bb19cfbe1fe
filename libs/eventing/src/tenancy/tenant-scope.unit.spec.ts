// Is a query or update without a valid tenant id refused at run time (callers the compiler
// cannot check), and is the tenant merged into every filter? (Compile-time side:
// tenant-scope.typecheck.ts, built by `npm run build`.)
import type { Model } from 'mongoose';
import { InvalidTenantIdError, tenantId, type TenantId } from './tenant-id';
import { assertUpdateKeepsTenant, scopeFilter } from './tenant-scope';
import { TenantScopeError } from './tenant-scope-error';
import { TenantScopedRepository } from './tenant-scoped-repository';

describe('tenantId()', () => {
  it('accepts id-like strings', () => {
    expect(tenantId('0190a5f2-3b4c-7d8e-9f01-23456789abcd')).toBe('0190a5f2-3b4c-7d8e-9f01-23456789abcd');
    expect(tenantId('acme_1')).toBe('acme_1');
  });
  it.each(['', ' ', 'a.b', '$where', 'a b', 'x'.repeat(129)])('refuses %j', (raw) => {
    expect(() => tenantId(raw)).toThrow(InvalidTenantIdError);
  });
  it('refuses non-strings from untyped callers', () => {
    expect(() => tenantId({ $ne: null } as unknown as string)).toThrow(InvalidTenantIdError);
  });
});

describe('scopeFilter', () => {
  const t = tenantId('tenant-a');
  it('merges the tenant into the filter', () => {
    expect(scopeFilter(t, { name: 'x' })).toEqual({ name: 'x', tenantId: 'tenant-a' });
    expect(scopeFilter(t)).toEqual({ tenantId: 'tenant-a' });
  });
  it('refuses a missing or forged tenant', () => {
    expect(() => scopeFilter(undefined as unknown as TenantId, { name: 'x' })).toThrow(TenantScopeError);
    expect(() => scopeFilter({ name: 'x' } as unknown as TenantId)).toThrow(TenantScopeError);
    expect(() => scopeFilter({ $ne: null } as unknown as TenantId)).toThrow(TenantScopeError);
  });
  it('refuses a filter naming another tenant', () => {
    expect(() => scopeFilter(t, { tenantId: 'tenant-b' })).toThrow(TenantScopeError);
    expect(scopeFilter(t, { tenantId: 'tenant-a' })).toEqual({ tenantId: 'tenant-a' });
  });
  it('refuses updates that move a document to another tenant', () => {
    expect(() => assertUpdateKeepsTenant({ $set: { tenantId: 'b' } })).toThrow(TenantScopeError);
    expect(() => assertUpdateKeepsTenant({ tenantId: 'b' })).toThrow(TenantScopeError);
    expect(() => assertUpdateKeepsTenant({ $unset: { tenantId: 1 } })).toThrow(TenantScopeError);
    expect(() => assertUpdateKeepsTenant({ $set: { name: 'n' } })).not.toThrow();
  });
});

describe('TenantScopedRepository', () => {
  class Repo extends TenantScopedRepository<{ tenantId: string; name: string }> {
    constructor() {
      // Reaching the model at all would be the bug: every call below must be refused first.
      super(new Proxy({}, { get: () => { throw new Error('model touched'); } }) as Model<{ tenantId: string; name: string }>);
    }
  }
  const repo = new Repo() as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  it.each(['find', 'findOne', 'count', 'updateOne', 'updateMany', 'findOneAndUpdate', 'deleteMany', 'insertOne'])(
    '%s called from untyped code with only a filter is refused',
    async (method) => {
      await expect(repo[method]!({ name: 'x' }, { $set: { name: 'y' } })).rejects.toThrow(TenantScopeError);
    },
  );
});
