import { bootOrExit, startTelemetry } from '@enclave/platform';

// Telemetry first, so its instrumentations hook http, grpc, kafkajs and mongoose before use.
const telemetry = startTelemetry({ serviceName: 'tenant', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined });

void bootOrExit(async () => {
  const { startTenantService } = await import('./start-tenant-service');
  await startTenantService({ onStopped: () => telemetry.shutdown() });
});
