import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry } from '@enclave/platform';
import { ChatGatewayRuntime } from './chat-gateway-runtime';

export const ON_SHUTDOWN = Symbol('CHAT_GATEWAY_ON_SHUTDOWN');

/**
 * Starts the relay, the usage publisher and the cache-event consumer with the Nest app; stops
 * them after the HTTP server closed (Nest runs onApplicationShutdown after closing it, and
 * Fastify's close waits for open chat streams, each of which ends only once its usage was
 * acknowledged by Kafka), so the publisher and the outbox drain last. Then the caller's final
 * step (start-chat-gateway closes Redis, gRPC clients and mongoose there).
 */
@Injectable()
export class ChatGatewayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runtime: ChatGatewayRuntime,
    private readonly health: HealthRegistry,
    @Inject(ON_SHUTDOWN) private readonly onShutdown: () => Promise<void>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.health.register('mongo', () => this.runtime.databaseReady());
    this.health.register('redis', () => this.runtime.redisReady());
    this.health.register('cache-events', () => this.runtime.cacheEventsReady());
    await this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
    await this.onShutdown();
  }
}
