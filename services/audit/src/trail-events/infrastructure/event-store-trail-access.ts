import type { Actor, EventStore, TenantId } from '@enclave/eventing';
import { uuidv7 } from '@enclave/platform';
import type { TrailAccessStore } from '../application/record-trail-access';
import type { TrailAccessEvent } from '../domain/trail-access';
import { encodeTrailEvent, envelopeType } from './trail-event-codec';

export class EventStoreTrailAccess implements TrailAccessStore {
  constructor(
    private readonly store: EventStore,
    /** Called after every append, so the relay publishes now instead of at its next poll. */
    private readonly onAppended: () => void = () => undefined,
  ) {}

  async appendAccess(tenant: TenantId, subjectId: string, actor: Actor, events: readonly TrailAccessEvent[]): Promise<void> {
    await this.store.append(
      `audit-access-${uuidv7()}`,
      0,
      events.map((event) => ({ type: envelopeType(event), tenantId: tenant, subjectId, actor, payload: encodeTrailEvent(event) })),
    );
    this.onAppended();
  }
}
