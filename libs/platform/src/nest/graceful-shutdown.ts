import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import type { HealthRegistry } from '../health/health-registry';

export interface GracefulShutdownOptions {
  logger: Logger;
  health?: HealthRegistry;
  /** Time between failing readiness and closing, so load balancers stop routing (default 0). */
  drainDelayMs?: number;
  signals?: NodeJS.Signals[];
  exit?: (code: number) => void;
}

/**
 * On SIGTERM/SIGINT: mark the service draining (readyz → 503), wait drainDelayMs, then
 * app.close() — which runs Nest's onModuleDestroy / beforeApplicationShutdown /
 * onApplicationShutdown hooks, as enableShutdownHooks would, but only after draining — then exit.
 * Returns a function that removes the signal handlers.
 */
export function installGracefulShutdown(app: INestApplicationContext, options: GracefulShutdownOptions): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const uninstall = () => signals.forEach((signal) => process.removeListener(signal, onSignal));

  async function onSignal(signal: NodeJS.Signals): Promise<void> {
    uninstall();
    options.logger.info({ signal, drainDelayMs: options.drainDelayMs ?? 0 }, 'shutting down');
    options.health?.setDraining();
    if (options.drainDelayMs) await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs));
    try {
      await app.close();
      options.logger.info('shutdown complete');
      exit(0);
    } catch (error) {
      options.logger.error({ err: error }, 'shutdown failed');
      exit(1);
    }
  }

  signals.forEach((signal) => process.once(signal, onSignal));
  return uninstall;
}
