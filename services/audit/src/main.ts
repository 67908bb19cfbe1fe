import { bootOrExit, startTelemetry } from '@enclave/platform';

// Telemetry first, so its instrumentations hook http, kafkajs and mongoose before use.
const telemetry = startTelemetry({ serviceName: 'audit', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined });

void bootOrExit(async () => {
  const { startAuditService } = await import('./start-audit-service');
  await startAuditService({ onStopped: () => telemetry.shutdown() });
});
