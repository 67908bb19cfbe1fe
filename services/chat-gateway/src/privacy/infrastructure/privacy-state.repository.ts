import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { Model } from 'mongoose';
import { UNRESTRICTED, type PrivacyState } from '../domain/privacy-state';
import type { PrivacyStateDoc } from './privacy-state.schema';

export interface PersistedPrivacyState {
  tenantId: string;
  subjectId: string;
  state: PrivacyState;
}

/** The persisted privacy flags; the only cross-tenant read is the start-up load of all rows. */
export class PrivacyStateRepository extends TenantScopedRepository<PrivacyStateDoc> {
  constructor(model: Model<PrivacyStateDoc>) {
    super(model);
  }

  async get(tenant: TenantId, subjectId: string): Promise<PrivacyState> {
    const doc = await this.findOne(tenant, { _id: rowId(tenant, subjectId) });
    return doc ? toState(doc) : UNRESTRICTED;
  }

  async save(tenant: TenantId, subjectId: string, state: PrivacyState): Promise<void> {
    const { erased: _erased, ...flags } = state;
    await this.updateOne(tenant, { _id: rowId(tenant, subjectId) }, { $set: { subjectId, ...flags } }, { upsert: true });
  }

  remove(tenant: TenantId, subjectId: string): Promise<number> {
    return this.deleteMany(tenant, { _id: rowId(tenant, subjectId) });
  }

  /** Every row (people with privacy facts: few), for a replica's in-memory registry. */
  async loadAll(): Promise<PersistedPrivacyState[]> {
    const docs = await this.model.find({}).lean<PrivacyStateDoc[]>().exec();
    return docs.map((d) => ({ tenantId: d.tenantId, subjectId: d.subjectId, state: toState(d) }));
  }
}

function rowId(tenant: string, subjectId: string): string {
  return `${tenant}:${subjectId}`;
}

function toState(doc: PrivacyStateDoc): PrivacyState {
  return {
    frozen: doc.frozen,
    frozenChangedAtMs: doc.frozenChangedAtMs,
    restricted: doc.restricted,
    restrictedChangedAtMs: doc.restrictedChangedAtMs,
    erased: false,
  };
}
