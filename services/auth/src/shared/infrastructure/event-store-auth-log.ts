import { EventStore, tenantId as checkedTenantId, type NewEvent } from '@enclave/eventing';
import type { ActorRef } from '../application/actor';
import { AuthEventLog, type AuthEvent } from '../application/auth-event-log';
import { decodeAuthEvent, encodeAuthEvent, envelopeType, toProtoActor } from './auth-event-codec';

/** AuthEventLog on the service's EventStore; nudges the relay so events leave at once. */
export class EventStoreAuthLog extends AuthEventLog {
  constructor(
    private readonly store: EventStore,
    private readonly onAppended: () => void = () => undefined,
  ) {
    super();
  }

  async read(tenantId: string, streamId: string): Promise<{ events: AuthEvent[]; version: number }> {
    const stored = await this.store.readStream(streamId, { tenantId: checkedTenantId(tenantId) });
    return {
      events: stored.map((e) => decodeAuthEvent(e.tenantId, e.payload)),
      version: stored.length === 0 ? 0 : stored[stored.length - 1]!.version,
    };
  }

  async append(tenantId: string, streamId: string, expectedVersion: number, events: AuthEvent[], actor: ActorRef): Promise<void> {
    if (events.length === 0) return;
    const tenant = checkedTenantId(tenantId);
    const newEvents: NewEvent[] = events.map((event) => ({
      type: envelopeType(event),
      tenantId: tenant,
      ...(event.subjectId ? { subjectId: event.subjectId } : {}),
      actor: toProtoActor(actor),
      payload: encodeAuthEvent(event),
    }));
    await this.store.append(streamId, expectedVersion, newEvents);
    this.onAppended();
  }
}
