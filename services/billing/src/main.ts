import { bootOrExit, startTelemetryFromEnv } from '@enclave/platform';

// Telemetry first, so its instrumentations hook http, kafkajs, mongoose and ioredis before use.
const telemetry = startTelemetryFromEnv('billing');

void bootOrExit(async () => {
  const { startBillingService } = await import('./start-billing-service');
  await startBillingService({ onStopped: () => telemetry.shutdown() });
});
