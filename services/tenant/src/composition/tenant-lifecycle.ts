import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry } from '@enclave/platform';
import { TenantRuntime } from './tenant-runtime';

export const ON_SHUTDOWN = Symbol('TENANT_ON_SHUTDOWN');

/**
 * Starts the relay, the consumer and the gRPC server with the Nest app and stops them after the
 * HTTP server has closed (so requests in flight finish their appends first), then runs the
 * caller's final step (main.ts closes mongoose there).
 */
@Injectable()
export class TenantLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runtime: TenantRuntime,
    private readonly health: HealthRegistry,
    @Inject(ON_SHUTDOWN) private readonly onShutdown: () => Promise<void>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.health.register('mongo', () => this.runtime.databaseReady());
    await this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
    await this.onShutdown();
  }
}
