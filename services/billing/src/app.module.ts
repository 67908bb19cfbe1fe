import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@enclave/platform';
import { SessionModule, type SessionModuleOptions } from '@enclave/session';
import { BillingLifecycle, ON_SHUTDOWN } from './composition/billing-lifecycle';
import { BillingRuntime } from './composition/billing-runtime';
import { OPERATOR_TOKEN, OperatorTokenGuard } from './interface/operator-token.guard';
import { SetQuota } from './quota/application/set-quota';
import { QuotaController } from './quota/interface/quota.controller';
import { GetUsageReport } from './usage/application/get-usage-report';
import { UsageController } from './usage/interface/usage.controller';

export interface AppModuleOptions {
  runtime: BillingRuntime;
  session: SessionModuleOptions;
  operatorToken: string;
  /** Runs last on shutdown, after the runtime stopped (main closes mongoose and Redis here). */
  onShutdown?: () => Promise<void>;
}

/** The billing HTTP app: usage reports for owners/admins, quota for the platform operator, health. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { runtime } = options;
    return {
      module: AppModule,
      imports: [HealthModule.forRoot(), SessionModule.forRoot(options.session)],
      controllers: [UsageController, QuotaController],
      providers: [
        { provide: BillingRuntime, useValue: runtime },
        { provide: GetUsageReport, useValue: runtime.getUsageReport },
        { provide: SetQuota, useValue: runtime.setQuota },
        { provide: OPERATOR_TOKEN, useValue: options.operatorToken },
        OperatorTokenGuard,
        { provide: ON_SHUTDOWN, useValue: options.onShutdown ?? (async () => undefined) },
        BillingLifecycle,
      ],
    };
  }
}
