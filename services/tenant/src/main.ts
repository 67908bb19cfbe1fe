import { bootOrExit, startTelemetryFromEnv } from '@enclave/platform';

// Telemetry first, so its instrumentations hook http, grpc, kafkajs and mongoose before use.
const telemetry = startTelemetryFromEnv('tenant');

void bootOrExit(async () => {
  const { startTenantService } = await import('./start-tenant-service');
  await startTenantService({ onStopped: () => telemetry.shutdown() });
});
