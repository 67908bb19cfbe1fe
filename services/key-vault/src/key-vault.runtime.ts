import type { BeforeApplicationShutdown, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { IdempotentConsumer, OutboxRelay } from '@enclave/eventing';
import type { GrpcServerHost, HealthRegistry } from '@enclave/platform';
import type { Logger } from 'pino';
import type { RetirementSweeper } from './infrastructure/retirement-sweeper';

export interface KeyVaultRuntimeParts {
  connection: Connection;
  logger: Logger;
  grpc?: { host: GrpcServerHost; bindHost: string; port: number };
  relay?: OutboxRelay;
  consumer?: IdempotentConsumer;
  sweeper?: RetirementSweeper;
}

/**
 * The non-HTTP parts of the process, driven by Nest's lifecycle: started once the app is
 * initialised, stopped on app.close() (after SIGTERM has made /readyz answer 503) in the order
 * sweeper → consumer → relay → gRPC → database, so in-flight work can finish.
 */
export class KeyVaultRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private grpcPort: number | undefined;

  constructor(private readonly parts: KeyVaultRuntimeParts) {}

  registerHealth(health: HealthRegistry): void {
    health.register('mongo', () => this.parts.connection.readyState === 1);
  }

  get boundGrpcPort(): number | undefined {
    return this.grpcPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { grpc, relay, consumer, logger } = this.parts;
    if (grpc) {
      this.grpcPort = await grpc.host.start(grpc.bindHost, grpc.port);
      logger.info({ port: this.grpcPort }, 'gRPC listening');
    }
    await relay?.start();
    await consumer?.start();
    this.parts.sweeper?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.parts.sweeper?.stop();
    await this.parts.consumer?.stop();
    await this.parts.relay?.stop();
    await this.parts.grpc?.host.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.parts.connection.close();
  }
}
