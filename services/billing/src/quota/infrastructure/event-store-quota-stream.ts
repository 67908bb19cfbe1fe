import type { Actor, EventStore, TenantId } from '@enclave/eventing';
import { evolve, initialQuotaState, type QuotaEvent, type QuotaState } from '../domain/quota-decider';
import type { QuotaStream } from '../application/ports';
import { decodeQuotaEvent, encodeQuotaEvent, envelopeType } from './quota-event-codec';

/** Stream id of a tenant's quota in billing's event store. */
export function quotaStreamId(tenant: TenantId): string {
  return `quota-${tenant}`;
}

export class EventStoreQuotaStream implements QuotaStream {
  constructor(
    private readonly store: EventStore,
    /** Called after every append, so the outbox relay publishes now instead of at its next poll. */
    private readonly onAppended: () => void = () => undefined,
  ) {}

  load(tenant: TenantId): Promise<{ state: QuotaState; version: number }> {
    return this.store.fold(quotaStreamId(tenant), tenant, evolve, initialQuotaState, (e) => decodeQuotaEvent(e.payload));
  }

  async append(tenant: TenantId, expectedVersion: number, events: readonly QuotaEvent[], actor: Actor): Promise<{ version: number }> {
    const result = await this.store.append(
      quotaStreamId(tenant),
      expectedVersion,
      events.map((event) => ({ type: envelopeType(event), tenantId: tenant, actor, payload: encodeQuotaEvent(event) })),
    );
    this.onAppended();
    return { version: result.version };
  }
}
