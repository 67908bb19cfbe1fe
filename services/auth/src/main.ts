import { bootOrExit, startTelemetry } from '@enclave/platform';

// Telemetry first, so its instrumentations hook http, grpc, kafkajs, mongoose and ioredis.
const telemetry = startTelemetry({ serviceName: 'auth', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined });

void bootOrExit(async () => {
  const { startAuthService } = await import('./start-auth-service');
  await startAuthService({ onStopped: () => telemetry.shutdown() });
});
