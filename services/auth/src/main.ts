import { bootOrExit, startTelemetryFromEnv } from '@enclave/platform';

// Telemetry first, so its instrumentations hook http, grpc, kafkajs, mongoose and ioredis.
const telemetry = startTelemetryFromEnv('auth');

void bootOrExit(async () => {
  const { startAuthService } = await import('./start-auth-service');
  await startAuthService({ onStopped: () => telemetry.shutdown() });
});
