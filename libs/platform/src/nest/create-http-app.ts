import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { HealthRegistry } from '../health/health-registry';
import { PinoNestLogger } from '../logging/nest-logger';
import { installCookieParsing } from './cookies';
import { installGracefulShutdown } from './graceful-shutdown';
import { HttpExceptionFilter } from './http-exception-filter';

export interface HttpAppOptions {
  logger: Logger;
  /** Largest accepted request body (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Trust X-Forwarded-* from the ingress (default false). */
  trustProxy?: boolean;
  /** Install SIGTERM/SIGINT draining shutdown (default true; tests pass false). */
  handleSignals?: boolean;
  drainDelayMs?: number;
}

/**
 * A Nest app on Fastify with request.cookies (setCookie/clearCookie helpers), the JSON error
 * filter and Nest's logs through pino. Not listening yet: `await app.listen(port, host)`. If
 * HealthModule is imported, SIGTERM first makes /readyz answer 503 for drainDelayMs, then closes.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024, trustProxy: options.trustProxy ?? false });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new PinoNestLogger(options.logger.child({ component: 'nest' })),
    // Throw instead of process.abort() on wiring errors, so bootOrExit reports them.
    abortOnError: false,
  });
  installCookieParsing(app.getHttpAdapter().getInstance());
  app.useGlobalFilters(new HttpExceptionFilter(options.logger));
  if (options.handleSignals ?? true) {
    installGracefulShutdown(app, { logger: options.logger, health: findHealthRegistry(app), drainDelayMs: options.drainDelayMs });
  }
  return app;
}

function findHealthRegistry(app: NestFastifyApplication): HealthRegistry | undefined {
  try {
    return app.get(HealthRegistry, { strict: false });
  } catch {
    return undefined;
  }
}
