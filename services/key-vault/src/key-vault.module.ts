import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { HealthModule } from '@enclave/platform';
import { SessionModule, type SessionModuleOptions } from '@enclave/session';
import { ListProviderKeys } from './application/list-provider-keys';
import { StoreProviderKey } from './application/store-provider-key';
import { ProviderKeysController } from './interface/http/provider-keys.controller';
import { KeyVaultRuntime } from './key-vault.runtime';

export interface KeyVaultModuleOptions {
  session: SessionModuleOptions;
  storeProviderKey: StoreProviderKey;
  listProviderKeys: ListProviderKeys;
  runtime: KeyVaultRuntime;
}

/** The HTTP side plus the runtime whose lifecycle hooks start and stop gRPC, relay and consumer. */
@Module({})
export class KeyVaultModule {
  static forRoot(options: KeyVaultModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: StoreProviderKey, useValue: options.storeProviderKey },
      { provide: ListProviderKeys, useValue: options.listProviderKeys },
      { provide: KeyVaultRuntime, useValue: options.runtime },
    ];
    return {
      module: KeyVaultModule,
      imports: [SessionModule.forRoot(options.session), HealthModule.forRoot()],
      controllers: [ProviderKeysController],
      providers,
    };
  }
}
