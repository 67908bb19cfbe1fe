import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthRegistry, type HealthRegistryOptions } from './health-registry';

/**
 * GET /healthz and GET /readyz. Global, so any provider can inject HealthRegistry and register
 * its check (e.g. in onModuleInit). createHttpApp finds the registry to drain on SIGTERM.
 */
@Global()
@Module({})
export class HealthModule {
  static forRoot(options: HealthRegistryOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: HealthRegistry, useValue: new HealthRegistry(options) }],
      exports: [HealthRegistry],
    };
  }
}
