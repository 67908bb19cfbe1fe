import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry } from '@enclave/platform';
import { AuditRuntime } from './audit-runtime';

export const ON_SHUTDOWN = Symbol('AUDIT_ON_SHUTDOWN');

/** Starts the runtime with the Nest app; stops it after HTTP closed, then the caller's final step. */
@Injectable()
export class AuditLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runtime: AuditRuntime,
    private readonly health: HealthRegistry,
    @Inject(ON_SHUTDOWN) private readonly onShutdown: () => Promise<void>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.health.register('mongo', () => this.runtime.ready());
    await this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
    await this.onShutdown();
  }
}
