import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry } from '@enclave/platform';
import { AuthRuntime } from './auth-runtime';

export const ON_SHUTDOWN = Symbol('AUTH_ON_SHUTDOWN');

/**
 * Starts the relay, the consumer and the gRPC server with the Nest app and stops them after the
 * HTTP server has closed, then runs the caller's last step (closing Redis, SMTP and mongoose).
 */
@Injectable()
export class AuthLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runtime: AuthRuntime,
    private readonly health: HealthRegistry,
    @Inject(ON_SHUTDOWN) private readonly onShutdown: () => Promise<void>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.health.register('mongo', () => this.runtime.databaseReady());
    this.health.register('redis', () => this.runtime.redisReady());
    await this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
    await this.onShutdown();
  }
}
