import { isTenantId } from '../tenancy/tenant-id';
import type { NewEvent, StoredEvent } from './stored-event';

export interface AppendBatch {
  streamId: string;
  expectedVersion: number;
  events: readonly NewEvent[];
}

/** Rejects an append that cannot be right whatever the database holds (caller bugs). */
export function validateAppend({ streamId, expectedVersion, events }: AppendBatch): void {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 200) {
    throw new TypeError('streamId must be a non-empty string of at most 200 characters');
  }
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new TypeError('expectedVersion must be a non-negative integer');
  }
  if (events.length === 0) throw new TypeError('append needs at least one event');
  const tenant = events[0]!.tenantId;
  for (const event of events) {
    if (!isTenantId(event.tenantId)) throw new TypeError('every event needs a valid tenantId');
    if (event.tenantId !== tenant) throw new TypeError('all events of one stream belong to one tenant');
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError('every event needs a type');
    if (!(event.payload instanceof Uint8Array)) throw new TypeError('event payload must be encoded bytes');
  }
}

export interface BuildContext {
  /** One id per event, in order (UUIDv7). */
  ids: readonly string[];
  /** The first of the seq numbers claimed for this append; events get seq .. seq+n-1. */
  seq: number;
  occurredAt: Date;
  traceparent: string;
  tracestate: string;
}

/**
 * Assigns versions expectedVersion+1 .. expectedVersion+n and store order (seq) to a batch.
 * Every document records appendEnd, the last version of its append, which append() uses to refuse
 * building on top of a half-written batch (see event-store.ts).
 */
export function buildEventDocuments(batch: AppendBatch, ctx: BuildContext): StoredEvent[] {
  const n = batch.events.length;
  if (ctx.ids.length !== n) throw new TypeError('one id per event is required');
  const appendEnd = batch.expectedVersion + n;
  return batch.events.map((event, i) => ({
    id: ctx.ids[i]!,
    streamId: batch.streamId,
    version: batch.expectedVersion + i + 1,
    tenantId: event.tenantId,
    type: event.type,
    subjectId: event.subjectId ?? '',
    actor: { kind: event.actor.kind, id: event.actor.id, role: event.actor.role },
    occurredAt: ctx.occurredAt,
    schemaVersion: event.schemaVersion ?? 1,
    traceparent: ctx.traceparent,
    tracestate: ctx.tracestate,
    payload: Buffer.from(event.payload),
    seq: ctx.seq + i,
    appendEnd,
  }));
}
