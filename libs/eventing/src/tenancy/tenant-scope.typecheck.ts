// Compile-time proof that a tenant-scoped query cannot be written without a checked tenant id.
// This file is part of the build (unlike spec files): if the guarantee breaks, one of the
// expect-error directives below becomes unused and `npm run build` fails. It never runs.
import type { Model } from 'mongoose';
import { tenantId, type TenantId } from './tenant-id';
import { TenantScopedRepository } from './tenant-scoped-repository';

interface NoteDoc {
  tenantId: string;
  title: string;
}

class NoteRepository extends TenantScopedRepository<NoteDoc> {
  constructor(model: Model<NoteDoc>) {
    super(model);
  }
}

export async function tenantScopeTypeChecks(repo: NoteRepository, raw: string): Promise<void> {
  const tenant: TenantId = tenantId(raw);
  await repo.find(tenant, { title: 'ok' });
  // @ts-expect-error a filter alone is not a tenant id
  await repo.find({ title: 'no tenant' });
  // @ts-expect-error an unchecked string is not a TenantId
  await repo.findOne(raw, { title: 'unchecked' });
  // @ts-expect-error the tenant id cannot be smuggled in through the filter
  await repo.count(tenant, { tenantId: 'other' });
  // @ts-expect-error updates need a tenant too
  await repo.updateOne({ title: 'x' }, { $set: { title: 'y' } });
  // @ts-expect-error a plain string literal is not a TenantId
  const notChecked: TenantId = 'tenant-1';
  void notChecked;
}
