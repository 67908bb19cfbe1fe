import type { eventsV1 } from '@enclave/proto';
import type { DecodedEvent } from '../bus/envelope';
import type { TenantId } from '../tenancy/tenant-id';

/** An event as a handler sees it: envelope fields plus the payload decoded by the topic codec. */
export interface ConsumedEvent<T> {
  id: string;
  type: string;
  tenantId: TenantId;
  subjectId: string;
  actor: eventsV1.Actor;
  occurredAt: Date;
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  payload: T;
  topic: string;
  partition: number;
  offset: string;
}

/** The handler's view of a decoded envelope read at topic/partition/offset. */
export function consumedEventOf<T>({ envelope, payload }: DecodedEvent<T>, at: { topic: string; partition: number; offset: string }): ConsumedEvent<T> {
  return {
    id: envelope.id,
    type: envelope.type,
    tenantId: envelope.tenantId as ConsumedEvent<T>['tenantId'],
    subjectId: envelope.subjectId,
    actor: envelope.actor ?? { kind: 0, id: '', role: '' },
    occurredAt: new Date(envelope.occurredAtMs),
    schemaVersion: envelope.schemaVersion,
    streamId: envelope.streamId,
    streamVersion: envelope.streamVersion,
    payload,
    topic: at.topic,
    partition: at.partition,
    offset: at.offset,
  };
}

export interface HandlerContext {
  /** The event id: key idempotent writes by it (upsert {_id: eventId} / $setOnInsert). */
  eventId: string;
  /** 1 on the first try, counting up across retries of this delivery. */
  attempt: number;
  /**
   * Runs fn unless a step with this key already completed for this event, then records it.
   * Guards one side effect of a multi-step handler against the handler's retries and
   * redeliveries. Without transactions a crash between fn and the record repeats fn once, so
   * fn should still be idempotent where it can be.
   */
  once(key: string, fn: () => Promise<void>): Promise<void>;
}

export type EventHandler<T> = (event: ConsumedEvent<T>, ctx: HandlerContext) => Promise<void>;
