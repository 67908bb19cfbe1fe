import type { Actor, EventStore, TenantId } from '@enclave/eventing';
import { encodeBillingEvent, envelopeType } from '../../quota/infrastructure/quota-event-codec';
import type { PrivacyEvent } from '../domain/privacy-events';
import type { PrivacyEventLog } from '../application/ports';

/** Privacy events in billing's event store (the outbox), each the first of its own stream. */
export class EventStorePrivacyLog implements PrivacyEventLog {
  constructor(
    private readonly store: EventStore,
    /** Called after an append, so the relay publishes now instead of at its next poll. */
    private readonly onAppended: () => void = () => undefined,
  ) {}

  async appendOnce(tenant: TenantId, streamId: string, subjectId: string, event: PrivacyEvent, actor: Actor): Promise<boolean> {
    const appended = await this.store.appendOnce(streamId, [{ type: envelopeType(event), tenantId: tenant, subjectId, actor, payload: encodeBillingEvent(event) }]);
    if (appended) this.onAppended();
    return appended;
  }
}
