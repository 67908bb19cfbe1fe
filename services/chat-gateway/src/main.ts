import { bootOrExit, startTelemetryFromEnv } from '@enclave/platform';

// Telemetry first, so its instrumentations hook http, grpc, kafkajs, mongoose and ioredis before use.
const telemetry = startTelemetryFromEnv('chat-gateway');

void bootOrExit(async () => {
  const { startChatGateway } = await import('./start-chat-gateway');
  await startChatGateway({ onStopped: () => telemetry.shutdown() });
});
