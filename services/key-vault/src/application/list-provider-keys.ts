import type { TenantId } from '@enclave/eventing';
import { toMaskedProviderKey, type MaskedProviderKey } from './masked-view';
import type { SecretViews } from './ports';

/** The tenant's provider keys, newest (the default) first, masked. */
export class ListProviderKeys {
  constructor(private readonly views: SecretViews) {}

  async execute(tenant: TenantId): Promise<MaskedProviderKey[]> {
    const keys = await this.views.list(tenant, 'provider-key');
    return keys.map((key, index) => toMaskedProviderKey(key, index === 0));
  }
}
