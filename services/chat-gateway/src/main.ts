import { bootOrExit, startTelemetry } from '@enclave/platform';

// Telemetry first, so its instrumentations hook http, grpc, kafkajs, mongoose and ioredis before use.
const telemetry = startTelemetry({
  serviceName: 'chat-gateway',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
  prometheusPort: process.env.METRICS_PORT ? Number(process.env.METRICS_PORT) : undefined,
});

void bootOrExit(async () => {
  const { startChatGateway } = await import('./start-chat-gateway');
  await startChatGateway({ onStopped: () => telemetry.shutdown() });
});
