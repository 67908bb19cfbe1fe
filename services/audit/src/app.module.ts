import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@enclave/platform';
import { SessionModule, type SessionModuleOptions } from '@enclave/session';
import { AuditLifecycle, ON_SHUTDOWN } from './composition/audit-lifecycle';
import { AuditRuntime } from './composition/audit-runtime';
import { QueryTrail } from './log/application/query-trail';
import { VerifyLog } from './log/application/verify-log';
import { AuditController } from './log/interface/audit.controller';

export interface AppModuleOptions {
  runtime: AuditRuntime;
  session: SessionModuleOptions;
  /** Runs last on shutdown, after the runtime stopped (main closes mongoose here). */
  onShutdown?: () => Promise<void>;
}

/** The audit HTTP app: query and verify the tenant's log (auditor, owner), health. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { runtime } = options;
    return {
      module: AppModule,
      imports: [HealthModule.forRoot(), SessionModule.forRoot(options.session)],
      controllers: [AuditController],
      providers: [
        { provide: AuditRuntime, useValue: runtime },
        { provide: QueryTrail, useValue: runtime.queryTrail },
        { provide: VerifyLog, useValue: runtime.verifyLog },
        { provide: ON_SHUTDOWN, useValue: options.onShutdown ?? (async () => undefined) },
        AuditLifecycle,
      ],
    };
  }
}
