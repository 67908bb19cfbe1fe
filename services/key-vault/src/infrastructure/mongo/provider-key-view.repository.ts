import type { Connection } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { ProviderKeyViews } from '../../application/ports';
import type { ProviderKeyState } from '../../domain/provider-key/provider-key.decider';
import { isProvider } from '../../domain/provider-key/providers';
import { isDuplicateKey, modelFor } from './model-for';
import { providerKeyViewSchema, type ProviderKeyViewDoc } from './provider-key-view.schema';

const NEWEST_FIRST = { createdAt: -1, keyId: -1 } as const;

export class MongoProviderKeyViews extends TenantScopedRepository<ProviderKeyViewDoc> implements ProviderKeyViews {
  constructor(connection: Connection, collection = 'provider_keys') {
    super(modelFor<ProviderKeyViewDoc>(connection, `KeyVault:${collection}`, providerKeyViewSchema, collection));
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async list(tenant: TenantId): Promise<ProviderKeyState[]> {
    const docs = await this.find(tenant, {}, { sort: NEWEST_FIRST });
    return docs.map(toState);
  }

  async latest(tenant: TenantId): Promise<ProviderKeyState | null> {
    const [doc] = await this.find(tenant, {}, { sort: NEWEST_FIRST, limit: 1 });
    return doc ? toState(doc) : null;
  }

  async snapshot(tenant: TenantId, keyId: string): Promise<{ state: ProviderKeyState; version: number } | null> {
    const doc = await this.findOne(tenant, { keyId });
    return doc ? { state: toState(doc), version: doc.streamVersion } : null;
  }

  /** lastUsedAt only moves forward, so replayed or reordered decryptions are harmless. */
  async touchLastUsed(tenant: TenantId, keyId: string, at: Date): Promise<void> {
    await this.updateOne(tenant, { keyId, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: at } }] }, { $set: { lastUsedAt: at } });
  }

  /** Writes the state at `version` unless the stored one is already as new (idempotent). */
  async save(tenant: TenantId, state: ProviderKeyState, version: number): Promise<void> {
    // lastUsedAt is left to touchLastUsed (decryptions are not on this stream), except on insert.
    const { tenantId: _ignored, keyId, lastUsedAt, ...fields } = state;
    try {
      await this.updateOne(
        tenant,
        { keyId, streamVersion: { $lt: version } },
        { $set: { ...fields, streamVersion: version }, $setOnInsert: { lastUsedAt } },
        { upsert: true },
      );
    } catch (error) {
      // The filter missed because the stored version is newer, so the upsert hit the unique key.
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

function toState(doc: ProviderKeyViewDoc): ProviderKeyState {
  if (!isProvider(doc.provider)) throw new Error('provider_keys holds an unknown provider');
  return {
    keyId: doc.keyId,
    tenantId: doc.tenantId,
    provider: doc.provider,
    label: doc.label,
    lastFour: doc.lastFour,
    fingerprint: doc.fingerprint,
    currentVersion: doc.currentVersion,
    createdAt: doc.createdAt,
    lastUsedAt: doc.lastUsedAt ?? null,
  };
}
