import { eventsV1 } from '@enclave/proto';
import { currentTraceparent, uuidv7 } from '@enclave/platform';
import { isTenantId, type TenantId } from '../tenancy/tenant-id';
import type { Topic } from './topic';

export type EventEnvelope = eventsV1.EventEnvelope;
export type Actor = eventsV1.Actor;

export interface EnvelopeMeta {
  type: string;
  tenantId: TenantId;
  subjectId?: string;
  actor: Actor;
  schemaVersion?: number;
  streamId?: string;
  streamVersion?: number;
}

export interface EnvelopeOptions {
  /** Defaults: uuidv7(), Date.now(), trace context of the active OTel context. */
  id?: string;
  occurredAtMs?: number;
  trace?: { traceparent: string; tracestate: string };
}

/** Builds the envelope for a typed payload: fresh UUIDv7 id, time, current trace context. */
export function buildEnvelope<T>(topic: Topic<T>, payload: T, meta: EnvelopeMeta, options: EnvelopeOptions = {}): EventEnvelope {
  const trace = options.trace ?? currentTraceparent();
  return {
    id: options.id ?? uuidv7(),
    type: meta.type,
    tenantId: meta.tenantId,
    subjectId: meta.subjectId ?? '',
    actor: meta.actor,
    occurredAtMs: options.occurredAtMs ?? Date.now(),
    schemaVersion: meta.schemaVersion ?? 1,
    traceparent: trace.traceparent,
    tracestate: trace.tracestate,
    streamId: meta.streamId ?? '',
    streamVersion: meta.streamVersion ?? 0,
    payload: Buffer.from(topic.codec.encode(payload).finish()),
  };
}

export function encodeEnvelope(envelope: EventEnvelope): Buffer {
  return Buffer.from(eventsV1.EventEnvelope.encode(envelope).finish());
}

/** Bytes that are not a valid envelope, or whose payload the topic codec cannot decode. */
export class EnvelopeDecodeError extends Error {
  override readonly name = 'EnvelopeDecodeError';
}

export interface DecodedEvent<T> {
  envelope: EventEnvelope;
  payload: T;
}

/** Decodes and checks an envelope, then its payload with the topic's codec. */
export function decodeEnvelope<T>(topic: Topic<T>, bytes: Uint8Array | null | undefined): DecodedEvent<T> {
  if (!bytes || bytes.length === 0) throw new EnvelopeDecodeError('empty message value');
  let envelope: EventEnvelope;
  try {
    envelope = eventsV1.EventEnvelope.decode(bytes);
  } catch (error) {
    throw new EnvelopeDecodeError(`not an EventEnvelope: ${(error as Error).message}`);
  }
  if (!envelope.id) throw new EnvelopeDecodeError('envelope has no id');
  if (!envelope.type) throw new EnvelopeDecodeError('envelope has no type');
  if (!isTenantId(envelope.tenantId)) throw new EnvelopeDecodeError('envelope has no valid tenant id');
  let payload: T;
  try {
    payload = topic.codec.decode(envelope.payload);
  } catch (error) {
    throw new EnvelopeDecodeError(`payload is not a valid ${topic.name} message: ${(error as Error).message}`);
  }
  return { envelope, payload };
}
