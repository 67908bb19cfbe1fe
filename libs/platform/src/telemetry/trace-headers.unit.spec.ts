// Does a span's W3C trace context survive a trip through Kafka headers and envelope fields?
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { contextFromTraceparent, currentTraceparent, extractTraceContext, hasTraceContext, injectTraceHeaders, type MessageHeaders } from './trace-headers';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const tracer = provider.getTracer('trace-headers-test');

afterAll(() => provider.shutdown());

describe('trace header propagation', () => {
  it('round-trips through Kafka headers received as Buffers, and children join the trace', () => {
    const producerSpan = tracer.startSpan('produce');
    const headers = injectTraceHeaders({ 'x-other': 'kept' } as MessageHeaders, trace.setSpan(ROOT_CONTEXT, producerSpan));
    expect(headers['x-other']).toBe('kept');
    expect(String(headers.traceparent)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // kafkajs hands header values back as Buffers
    const received: MessageHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(String(v))]));
    const extracted = extractTraceContext(received);
    const remote = trace.getSpanContext(extracted)!;
    expect(remote.traceId).toBe(producerSpan.spanContext().traceId);
    expect(remote.spanId).toBe(producerSpan.spanContext().spanId);
    expect(remote.isRemote).toBe(true);

    const consumerSpan = tracer.startSpan('consume', {}, extracted);
    consumerSpan.end();
    producerSpan.end();
    const consumed = exporter.getFinishedSpans().find((s) => s.name === 'consume')!;
    expect(consumed.spanContext().traceId).toBe(producerSpan.spanContext().traceId);
    expect(consumed.parentSpanContext?.spanId).toBe(producerSpan.spanContext().spanId);
  });

  it('carries traceparent/tracestate through envelope fields', () => {
    const span = tracer.startSpan('append');
    const fields = currentTraceparent(trace.setSpan(ROOT_CONTEXT, span));
    expect(fields.traceparent).toContain(span.spanContext().traceId);
    const ctx = contextFromTraceparent(fields);
    expect(trace.getSpanContext(ctx)?.spanId).toBe(span.spanContext().spanId);
    span.end();
  });

  it('keeps tracestate', () => {
    const headers: MessageHeaders = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=abc',
    };
    const ctx = extractTraceContext(headers);
    expect(currentTraceparent(ctx)).toEqual({ traceparent: headers.traceparent, tracestate: 'vendor=abc' });
  });

  it('yields empty fields and no context when there is no span or a bad header', () => {
    expect(currentTraceparent(ROOT_CONTEXT)).toEqual({ traceparent: '', tracestate: '' });
    expect(hasTraceContext(contextFromTraceparent({ traceparent: 'garbage' }))).toBe(false);
    expect(hasTraceContext(contextFromTraceparent({}))).toBe(false);
    expect(injectTraceHeaders({}, ROOT_CONTEXT)).toEqual({});
  });
});
