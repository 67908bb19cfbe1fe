// One CONSUMER span per event of a batch, each a child of the trace the event was created in
// (the envelope's trace fields, fixed by the producing request), so a request's trace shows its
// events reaching a batch consumer although they are handled many at a time.
import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { contextFromTraceparent, hasTraceContext } from '@enclave/platform';

const tracer = trace.getTracer('@enclave/eventing');

export interface TracedEvent {
  id: string;
  type: string;
  /** The producing request's context (ROOT when the envelope carried none). */
  parent: Context;
}

export function parentContextOf(envelope: { traceparent?: string; tracestate?: string }): Context {
  return contextFromTraceparent({ traceparent: envelope.traceparent ?? '', tracestate: envelope.tracestate ?? '' });
}

/** Runs the batch's work with a span open per event; each ends with the work's outcome. */
export async function inEventSpans(topic: string, group: string, events: readonly TracedEvent[], work: () => Promise<void>): Promise<void> {
  const spans: Span[] = events.map((event) =>
    tracer.startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': group,
          'messaging.message.id': event.id,
          'enclave.event.type': event.type,
          'enclave.batch.size': events.length,
        },
      },
      hasTraceContext(event.parent) ? event.parent : context.active(),
    ),
  );
  try {
    await work();
  } catch (error) {
    for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'Error' });
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}
