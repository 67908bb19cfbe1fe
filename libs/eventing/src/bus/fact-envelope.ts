import { currentTraceparent, uuidv7 } from '@enclave/platform';
import type { NewEvent } from '../store/stored-event';
import type { EventEnvelope, EnvelopeOptions } from './envelope';

export interface FactStream {
  /** A stream of its own per fact, e.g. `usage-<requestId>`: consumers see the same shape as from the store. */
  streamId: string;
  /** Default 1: the fact is the first (only) event of its stream. */
  streamVersion?: number;
}

/**
 * The envelope of a fact published without the event store (see FactPublisher): the same fields
 * the outbox relay sends for a stored event (fresh UUIDv7 id, time, trace context of the active
 * OTel context, stream and version), so consumers decode and de-duplicate it the same way.
 */
export function factEnvelope(event: NewEvent, stream: FactStream, options: EnvelopeOptions = {}): EventEnvelope {
  const trace = options.trace ?? currentTraceparent();
  return {
    id: options.id ?? uuidv7(),
    type: event.type,
    tenantId: event.tenantId,
    subjectId: event.subjectId ?? '',
    actor: { kind: event.actor.kind, id: event.actor.id, role: event.actor.role },
    occurredAtMs: options.occurredAtMs ?? Date.now(),
    schemaVersion: event.schemaVersion ?? 1,
    traceparent: trace.traceparent,
    tracestate: trace.tracestate,
    streamId: stream.streamId,
    streamVersion: stream.streamVersion ?? 1,
    payload: Buffer.from(event.payload),
  };
}
