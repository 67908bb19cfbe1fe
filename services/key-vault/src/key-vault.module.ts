import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { HealthModule } from '@enclave/platform';
import { SessionModule, type SessionModuleOptions } from '@enclave/session';
import { ListProviderKeys } from './application/list-provider-keys';
import { RewrapDataKeys } from './application/rewrap-data-keys';
import { RotateProviderKey } from './application/rotate-provider-key';
import { SecretLifecycle } from './application/secret-lifecycle';
import { StoreProviderKey } from './application/store-provider-key';
import { TenantSecrets } from './application/tenant-secrets';
import { TestProviderKey } from './application/test-provider-key';
import { KekAdminController } from './interface/http/operator/kek-admin.controller';
import { OPERATOR_TOKEN, OperatorTokenGuard } from './interface/http/operator/operator-token.guard';
import { ProviderKeysController } from './interface/http/provider-keys.controller';
import { TenantSecretsController } from './interface/http/tenant-secrets.controller';
import { KeyVaultRuntime } from './key-vault.runtime';

export interface KeyVaultUseCases {
  storeProviderKey: StoreProviderKey;
  listProviderKeys: ListProviderKeys;
  rotateProviderKey: RotateProviderKey;
  testProviderKey: TestProviderKey;
  lifecycle: SecretLifecycle;
  tenantSecrets: TenantSecrets;
  rewrap: RewrapDataKeys;
}

export interface KeyVaultModuleOptions {
  session: SessionModuleOptions;
  useCases: KeyVaultUseCases;
  operatorToken: string | undefined;
  runtime: KeyVaultRuntime;
}

/** The HTTP side plus the runtime whose lifecycle hooks start and stop gRPC, relay, consumer and sweeper. */
@Module({})
export class KeyVaultModule {
  static forRoot(options: KeyVaultModuleOptions): DynamicModule {
    const { useCases } = options;
    const providers: Provider[] = [
      { provide: StoreProviderKey, useValue: useCases.storeProviderKey },
      { provide: ListProviderKeys, useValue: useCases.listProviderKeys },
      { provide: RotateProviderKey, useValue: useCases.rotateProviderKey },
      { provide: TestProviderKey, useValue: useCases.testProviderKey },
      { provide: SecretLifecycle, useValue: useCases.lifecycle },
      { provide: TenantSecrets, useValue: useCases.tenantSecrets },
      { provide: RewrapDataKeys, useValue: useCases.rewrap },
      { provide: OPERATOR_TOKEN, useValue: options.operatorToken },
      OperatorTokenGuard,
      { provide: KeyVaultRuntime, useValue: options.runtime },
    ];
    return {
      module: KeyVaultModule,
      imports: [SessionModule.forRoot(options.session), HealthModule.forRoot()],
      controllers: [ProviderKeysController, TenantSecretsController, KekAdminController],
      providers,
    };
  }
}
