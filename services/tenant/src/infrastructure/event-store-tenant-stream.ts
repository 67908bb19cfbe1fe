import { eventsV1 } from '@enclave/proto';
import { EventStore, tenantId as checkedTenantId, type NewEvent, type StoredEvent } from '@enclave/eventing';
import { fold, initialTenantState, tenantStreamId, type TenantEvent, type TenantState } from '../domain';
import type { Actor, ConfirmationLog, RecordedTenantEvent, TenantEventStore } from '../application';
import { decodeTenantEvent, encodeTenantEvent, envelopeType, subjectOf } from './tenant-event-codec';

/** The tenant aggregate's streams `tenant-<tenantId>` in the service's event store (the outbox). */
export class EventStoreTenantStream implements TenantEventStore, ConfirmationLog {
  constructor(private readonly store: EventStore) {}

  async load(tenantId: string): Promise<{ state: TenantState; version: number }> {
    const events = await this.store.readStream(tenantStreamId(tenantId), { tenantId: checkedTenantId(tenantId) });
    const state = fold(initialTenantState, events.map((e) => decodeTenantEvent(e.payload)));
    return { state, version: events.length === 0 ? 0 : events[events.length - 1]!.version };
  }

  async append(tenantId: string, expectedVersion: number, events: TenantEvent[], actor: Actor): Promise<RecordedTenantEvent[]> {
    const tenant = checkedTenantId(tenantId);
    const newEvents: NewEvent[] = events.map((event) => ({
      type: envelopeType(event.type),
      tenantId: tenant,
      subjectId: subjectOf(event),
      actor: toProtoActor(actor),
      payload: encodeTenantEvent(event),
    }));
    const result = await this.store.append(tenantStreamId(tenantId), expectedVersion, newEvents);
    return result.events.map((stored, i) => recorded(stored, events[i]!));
  }

  appendOnce(tenantId: string, streamId: string, event: TenantEvent, actor: Actor): Promise<boolean> {
    return this.store.appendOnce(streamId, [
      { type: envelopeType(event.type), tenantId: checkedTenantId(tenantId), subjectId: subjectOf(event), actor: toProtoActor(actor), payload: encodeTenantEvent(event) },
    ]);
  }
}

function recorded(stored: StoredEvent, event: TenantEvent): RecordedTenantEvent {
  return { tenantId: stored.tenantId, version: stored.version, occurredAt: stored.occurredAt, event };
}

export function toProtoActor(actor: Actor): eventsV1.Actor {
  return actor.kind === 'person'
    ? { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: actor.subjectId, role: actor.role }
    : { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: actor.name, role: '' };
}
