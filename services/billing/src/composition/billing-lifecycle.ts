import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry } from '@enclave/platform';
import { BillingRuntime } from './billing-runtime';

export const ON_SHUTDOWN = Symbol('BILLING_ON_SHUTDOWN');

/**
 * Starts the runtime (Redis re-sync, relay, consumer) with the Nest app and stops it after the
 * HTTP server has closed, then runs the caller's final step (closing mongoose and Redis).
 */
@Injectable()
export class BillingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runtime: BillingRuntime,
    private readonly health: HealthRegistry,
    @Inject(ON_SHUTDOWN) private readonly onShutdown: () => Promise<void>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.health.register('storage', () => this.runtime.ready());
    await this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
    await this.onShutdown();
  }
}
