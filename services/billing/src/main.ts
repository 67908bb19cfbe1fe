import { bootOrExit, startTelemetry } from '@enclave/platform';

// Telemetry first, so its instrumentations hook http, kafkajs, mongoose and ioredis before use.
const telemetry = startTelemetry({ serviceName: 'billing', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined });

void bootOrExit(async () => {
  const { startBillingService } = await import('./start-billing-service');
  await startBillingService({ onStopped: () => telemetry.shutdown() });
});
