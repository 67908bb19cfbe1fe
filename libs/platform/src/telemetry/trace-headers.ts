import { ROOT_CONTEXT, context as contextApi, trace, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** Kafka message headers as kafkajs types them (values arrive as Buffers). */
export type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

// W3C trace context is used directly (not the global propagator) so ids travel in Kafka headers
// and envelopes even in processes or tests that never started the SDK.
const propagator = new W3CTraceContextPropagator();

const setter: TextMapSetter<MessageHeaders> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<MessageHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const raw = carrier[key] ?? carrier[Object.keys(carrier).find((k) => k.toLowerCase() === key) ?? ''];
    const first = Array.isArray(raw) ? raw[0] : raw;
    return first === undefined ? undefined : first.toString();
  },
};

/** Adds `traceparent` (and `tracestate`) for the given or active span to headers; returns them. */
export function injectTraceHeaders<H extends MessageHeaders>(headers: H, ctx: Context = contextApi.active()): H {
  propagator.inject(ctx, headers, setter);
  return headers;
}

/** The context carried by headers, to start a consumer span as its child. */
export function extractTraceContext(headers: MessageHeaders, base: Context = ROOT_CONTEXT): Context {
  return propagator.extract(base, headers, getter);
}

export interface TraceparentFields {
  traceparent: string;
  tracestate: string;
}

/** traceparent/tracestate of the given or active span, '' when there is none (envelope fields). */
export function currentTraceparent(ctx: Context = contextApi.active()): TraceparentFields {
  const carrier: MessageHeaders = {};
  propagator.inject(ctx, carrier, setter);
  return { traceparent: String(carrier.traceparent ?? ''), tracestate: String(carrier.tracestate ?? '') };
}

/** The context an envelope's traceparent/tracestate describe (ROOT when absent or invalid). */
export function contextFromTraceparent(fields: Partial<TraceparentFields>, base: Context = ROOT_CONTEXT): Context {
  const carrier: MessageHeaders = {};
  if (fields.traceparent) carrier.traceparent = fields.traceparent;
  if (fields.tracestate) carrier.tracestate = fields.tracestate;
  return extractTraceContext(carrier, base);
}

/** True when ctx carries a valid (local or remote) span context. */
export function hasTraceContext(ctx: Context): boolean {
  const span = trace.getSpanContext(ctx);
  return span !== undefined && trace.isSpanContextValid(span);
}
