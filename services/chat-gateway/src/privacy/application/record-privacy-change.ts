import type { TenantId } from '@enclave/eventing';
import { evolvePrivacy, type PrivacyChange } from '../domain/privacy-state';
import type { PrivacyStateRepository } from '../infrastructure/privacy-state.repository';
import type { PrivacyRegistry } from './privacy-registry';

/**
 * Persists one privacy change (row read, evolved, written: the consumer handles a tenant's
 * events one at a time, in order, so there is no concurrent writer) and merges it into this
 * replica's registry. Redelivery re-applies the same fact: no change.
 */
export class RecordPrivacyChange {
  constructor(
    private readonly rows: PrivacyStateRepository,
    private readonly registry: PrivacyRegistry,
  ) {}

  async execute(tenant: TenantId, subjectId: string, change: PrivacyChange): Promise<void> {
    const next = evolvePrivacy(await this.rows.get(tenant, subjectId), change);
    await this.rows.save(tenant, subjectId, next);
    this.registry.merge(tenant, subjectId, next);
  }
}
