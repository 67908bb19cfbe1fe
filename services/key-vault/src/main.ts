import { bootOrExit, createLogger, startTelemetry } from '@enclave/platform';

// Telemetry first, so its instrumentations hook http, grpc, kafkajs and mongoose before the
// modules that use them are loaded (hence the dynamic imports below).
const telemetry = startTelemetry({
  serviceName: 'key-vault',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
  prometheusPort: process.env.METRICS_PORT ? Number(process.env.METRICS_PORT) : undefined,
});

async function main(): Promise<void> {
  const { loadKeyVaultConfig, SERVICE_NAME } = await import('./config');
  const config = loadKeyVaultConfig();
  const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const { startKeyVault } = await import('./start-key-vault');
  const running = await startKeyVault(config, { logger, handleSignals: true });
  running.app.getHttpServer().once('close', () => void telemetry.shutdown());
}

void bootOrExit(main);
