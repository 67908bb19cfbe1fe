import { tenantId } from '@enclave/eventing';
import type { VirtualKeyRepository } from '../infrastructure/virtual-key.repository';
import { toView, type VirtualKeyView } from './virtual-key-view';

/** The tenant's working keys, masked, newest first. */
export class ListVirtualKeys {
  constructor(private readonly keys: VirtualKeyRepository) {}

  async execute(tenant: string): Promise<VirtualKeyView[]> {
    const docs = await this.keys.listForTenant(tenantId(tenant));
    return docs.filter((doc) => !doc.revokedAt).map(toView);
  }
}
