import type { Message } from 'kafkajs';
import { encodeEnvelope, type EventEnvelope } from './envelope';

export const EVENT_TYPE_HEADER = 'event-type';
export const EVENT_ID_HEADER = 'event-id';

/** Kafka message for an envelope: key = tenant id (per-tenant order), trace context in headers. */
export function toKafkaMessage(envelope: EventEnvelope): Message {
  const headers: Record<string, string> = {
    [EVENT_TYPE_HEADER]: envelope.type,
    [EVENT_ID_HEADER]: envelope.id,
  };
  if (envelope.traceparent) headers.traceparent = envelope.traceparent;
  if (envelope.tracestate) headers.tracestate = envelope.tracestate;
  return { key: envelope.tenantId, value: encodeEnvelope(envelope), headers };
}

/** kafkajs headers (Buffer | string | arrays) as plain strings; the first value of a repeat wins. */
export function headersToStrings(headers: Message['headers'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== null) out[key] = first.toString();
  }
  return out;
}
