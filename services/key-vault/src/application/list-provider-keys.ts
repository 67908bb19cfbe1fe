import type { TenantId } from '@enclave/eventing';
import type { MaskedProviderKey } from '../domain/provider-key/masking';
import { toMasked } from './masked-view';
import type { ProviderKeyViews } from './ports';

/** The tenant's keys, newest (the default) first, masked. */
export class ListProviderKeys {
  constructor(private readonly views: ProviderKeyViews) {}

  async execute(tenant: TenantId): Promise<MaskedProviderKey[]> {
    const keys = await this.views.list(tenant);
    return keys.map((key, index) => toMasked(key, index === 0));
  }
}
