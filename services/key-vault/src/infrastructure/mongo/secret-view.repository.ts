import type { Connection } from 'mongoose';
import { TenantScopedRepository, tenantId as checkedTenantId, type TenantId } from '@enclave/eventing';
import type { SecretViews } from '../../application/ports';
import { isTestOutcome } from '../../domain/provider-key/connection-test';
import { isProvider } from '../../domain/provider-key/providers';
import { isSecretKind, type SecretKind } from '../../domain/secret/secret-kind';
import { nextRetirementAt, type SecretState } from '../../domain/secret/secret.state';
import { isDuplicateKey, modelFor } from './model-for';
import { secretViewSchema, type SecretViewDoc } from './secret-view.schema';

const NEWEST_FIRST = { createdAt: -1, secretId: -1 } as const;

export class MongoSecretViews extends TenantScopedRepository<SecretViewDoc> implements SecretViews {
  constructor(connection: Connection, collection = 'secret_views') {
    super(modelFor<SecretViewDoc>(connection, `KeyVault:${collection}`, secretViewSchema, collection));
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async list(tenant: TenantId, kind: SecretKind): Promise<SecretState[]> {
    return (await this.find(tenant, { kind, deletedAt: null }, { sort: NEWEST_FIRST })).map(toState);
  }

  async latest(tenant: TenantId, kind: SecretKind): Promise<SecretState | null> {
    const [doc] = await this.find(tenant, { kind, deletedAt: null }, { sort: NEWEST_FIRST, limit: 1 });
    return doc ? toState(doc) : null;
  }

  /** Deliberately across tenants: the retirement sweeper's work list. */
  async dueForRetirement(now: Date, limit: number): Promise<Array<{ tenantId: TenantId; kind: SecretKind; secretId: string }>> {
    const docs = await this.model.find({ nextRetirementAt: { $lte: now } }).sort({ nextRetirementAt: 1 }).limit(limit).lean<SecretViewDoc[]>().exec();
    return docs.map((doc) => ({ tenantId: checkedTenantId(doc.tenantId), kind: kindOf(doc.kind), secretId: doc.secretId }));
  }

  async snapshot(tenant: TenantId, secretId: string): Promise<{ state: SecretState; version: number } | null> {
    const doc = await this.findOne(tenant, { secretId });
    return doc ? { state: toState(doc), version: doc.streamVersion } : null;
  }

  /** lastUsedAt only moves forward, so replayed or reordered decryptions are harmless. */
  async touchLastUsed(tenant: TenantId, secretId: string, at: Date): Promise<void> {
    await this.updateOne(tenant, { secretId, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: at } }] }, { $set: { lastUsedAt: at } });
  }

  /** Writes the state at `version` unless the stored one is already as new (idempotent). */
  async save(tenant: TenantId, state: SecretState, version: number): Promise<void> {
    // lastUsedAt is left to touchLastUsed (decryptions are not on this stream), except on insert.
    const { tenantId: _ignored, secretId, lastUsedAt, ...fields } = state;
    try {
      await this.updateOne(
        tenant,
        { secretId, streamVersion: { $lt: version } },
        { $set: { ...fields, nextRetirementAt: nextRetirementAt(state), streamVersion: version }, $setOnInsert: { lastUsedAt } },
        { upsert: true },
      );
    } catch (error) {
      // The filter missed because the stored version is newer, so the upsert hit the unique key.
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

function toState(doc: SecretViewDoc): SecretState {
  const provider = doc.provider ?? null;
  if (provider !== null && !isProvider(provider)) throw new Error('secret_views holds an unknown provider');
  const lastTest = doc.lastTest && isTestOutcome(doc.lastTest.outcome) ? { at: doc.lastTest.at, version: doc.lastTest.version, outcome: doc.lastTest.outcome } : null;
  return {
    secretId: doc.secretId,
    tenantId: doc.tenantId,
    kind: kindOf(doc.kind),
    provider,
    label: doc.label,
    lastFour: doc.lastFour ?? '',
    fingerprint: doc.fingerprint,
    currentVersion: doc.currentVersion,
    versions: (doc.versions ?? []).map((v) => ({ version: v.version, createdAt: v.createdAt, retiresAt: v.retiresAt ?? null, retiredAt: v.retiredAt ?? null })),
    createdAt: doc.createdAt,
    rotatedAt: doc.rotatedAt ?? null,
    lastUsedAt: doc.lastUsedAt ?? null,
    lastTest,
    deletedAt: doc.deletedAt ?? null,
  };
}

function kindOf(kind: string): SecretKind {
  if (!isSecretKind(kind)) throw new Error('secret_views holds an unknown kind');
  return kind;
}
