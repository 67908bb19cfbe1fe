import type { Model } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '@enclave/eventing';
import type { TenantSettings } from '../../domain';
import type { TenantSettingsDoc } from './tenant-settings.schema';
import { ignoringStale } from './version-guard';

export class TenantSettingsRepository extends TenantScopedRepository<TenantSettingsDoc> {
  constructor(model: Model<TenantSettingsDoc>) {
    super(model);
  }

  async get(tenant: TenantId): Promise<TenantSettingsDoc | null> {
    return this.findOne(tenant, {});
  }

  /** Writes the settings of `version` unless a newer version is already stored. */
  async put(tenant: TenantId, version: number, settings: TenantSettings, at: Date): Promise<void> {
    const { retention, ...rest } = settings;
    await ignoringStale(() =>
      this.updateOne(
        tenant,
        { version: { $lt: version } },
        {
          $set: { ...rest, allowedModels: [...settings.allowedModels], version, updatedAt: at, ...(retention && { retention: { ...retention } }) },
          ...(!retention && { $unset: { retention: 1 } }),
        },
        { upsert: true },
      ),
    );
  }
}
