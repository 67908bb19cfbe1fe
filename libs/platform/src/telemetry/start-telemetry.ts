import type { SpanExporter } from '@opentelemetry/sdk-trace';

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP collector base URL (e.g. http://otel-collector:4318); no span export when absent. */
  otlpEndpoint?: string;
  /** Serve Prometheus metrics on this port at /metrics; no metrics export when absent. */
  prometheusPort?: number;
  /** Extra exporter, exported span by span (tests pass an InMemorySpanExporter). */
  spanExporter?: SpanExporter;
}

export interface Telemetry {
  /** Flushes pending spans and metrics and stops the exporters. */
  shutdown(): Promise<void>;
}

/** Requests that would only add noise to traces. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

let started = false;

/**
 * Starts OpenTelemetry tracing (and metrics when asked) with http, grpc, kafkajs, mongoose and
 * ioredis instrumentations. Call it FIRST in main.ts, before importing Nest or the app module
 * (load those with `await import('./app.module')` afterwards), so instrumentations hook the
 * libraries before they are used. Spans are always created (trace ids reach logs and envelopes);
 * they are exported only when an OTLP endpoint or an exporter is given.
 *
 * The providers are wired by hand rather than through @opentelemetry/sdk-node: the SDK loads
 * every exporter, log pipeline and its YAML configuration reader (about 750 modules, ~20 MB of
 * heap per service) although a service uses at most one trace exporter and Prometheus. Each
 * exporter loads only when configured.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (started) throw new Error('startTelemetry was already called in this process');
  started = true;

  /* eslint-disable @typescript-eslint/no-require-imports */
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const core = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const traceBase = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { GrpcInstrumentation } = require('@opentelemetry/instrumentation-grpc') as typeof import('@opentelemetry/instrumentation-grpc');
  const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs') as typeof import('@opentelemetry/instrumentation-kafkajs');
  const { MongooseInstrumentation } = require('@opentelemetry/instrumentation-mongoose') as typeof import('@opentelemetry/instrumentation-mongoose');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');

  const resource = resourceFromAttributes({ 'service.name': options.serviceName });
  const spanProcessors: import('@opentelemetry/sdk-trace').SpanProcessor[] = [];
  if (options.otlpEndpoint) {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    const url = options.otlpEndpoint.replace(/\/+$/, '').replace(/(\/v1\/traces)?$/, '/v1/traces');
    // sdk-trace 3.x no longer reads OTEL_BSP_SCHEDULE_DELAY itself; honour the standard variable.
    const delay = Number(process.env.OTEL_BSP_SCHEDULE_DELAY);
    spanProcessors.push(
      new traceBase.BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url }),
        ...(Number.isFinite(delay) && delay > 0 ? { scheduledDelayMillis: delay } : {}),
      }),
    );
  }
  if (options.spanExporter) spanProcessors.push(new traceBase.SimpleSpanProcessor({ exporter: options.spanExporter }));
  // Without any processor spans would still be created, but a processor that drops them makes
  // that explicit: ids keep flowing through logs, Kafka headers and envelopes.
  if (spanProcessors.length === 0) spanProcessors.push(new traceBase.NoopSpanProcessor());
  const tracerProvider = new traceBase.TracerProvider({ resource, spanProcessors });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  api.context.setGlobalContextManager(contextManager);
  api.propagation.setGlobalPropagator(
    new core.CompositePropagator({ propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()] }),
  );
  api.trace.setGlobalTracerProvider(tracerProvider);

  let meterProvider: import('@opentelemetry/sdk-metrics').MeterProvider | undefined;
  if (options.prometheusPort !== undefined) {
    const { MeterProvider } = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
    const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus') as typeof import('@opentelemetry/exporter-prometheus');
    meterProvider = new MeterProvider({ resource, readers: [new PrometheusExporter({ port: options.prometheusPort })] });
    api.metrics.setGlobalMeterProvider(meterProvider);
  }
  /* eslint-enable @typescript-eslint/no-require-imports */

  const disable = registerInstrumentations({
    tracerProvider,
    ...(meterProvider && { meterProvider }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]!) }),
      new GrpcInstrumentation(),
      new KafkaJsInstrumentation(),
      new MongooseInstrumentation(),
      // Command names only: arguments can hold keys with tenant ids or cached values.
      new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
    ],
  });
  return {
    shutdown: async () => {
      disable();
      await Promise.all([tracerProvider.shutdown(), meterProvider?.shutdown()]);
      api.trace.disable();
      api.metrics.disable();
      api.propagation.disable();
      api.context.disable();
      started = false;
    },
  };
}

/**
 * startTelemetry configured the same way in every service's main: OTLP export when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, Prometheus `/metrics` on METRICS_PORT when set. It runs
 * before config validation (instrumentations must hook modules first), so a malformed
 * METRICS_PORT stops start-up here with the variable named.
 */
export function startTelemetryFromEnv(serviceName: string, env: NodeJS.ProcessEnv = process.env): Telemetry {
  const metrics = env.METRICS_PORT?.trim();
  const port = metrics ? Number(metrics) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    process.stderr.write('Invalid configuration:\n  METRICS_PORT: malformed (expected a port number)\n');
    process.exit(78);
  }
  return startTelemetry({ serviceName, otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined, prometheusPort: port });
}
