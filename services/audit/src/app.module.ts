import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@enclave/platform';
import { SessionModule, type SessionModuleOptions } from '@enclave/session';
import { MakeCheckpoint } from './checkpoints/application/make-checkpoint';
import { CheckpointsController } from './checkpoints/interface/checkpoints.controller';
import { PUBLISHED_KEY, PublicKeyController } from './checkpoints/interface/public-key.controller';
import { CheckpointStoreToken } from './checkpoints/interface/tokens';
import { AuditLifecycle, ON_SHUTDOWN } from './composition/audit-lifecycle';
import { AuditRuntime } from './composition/audit-runtime';
import { ExportBundle } from './export/application/export-bundle';
import { ExportController } from './export/interface/export.controller';
import { QueryTrail } from './log/application/query-trail';
import { AuditController } from './log/interface/audit.controller';
import { Prove } from './merkle/application/prove';
import { ProofsController } from './merkle/interface/proofs.controller';
import { VerifyLog } from './verification/application/verify-log';
import { PrivacyRuntime } from './privacy/privacy-runtime';
import { BreachesController } from './privacy/interface/breaches.controller';
import { ConsentsController } from './privacy/interface/consents.controller';
import { RequestsController } from './privacy/interface/requests.controller';
import { SubjectDataController } from './privacy/interface/subject-data.controller';
import { TestClockController } from './privacy/interface/test-clock.controller';

export interface AppModuleOptions {
  runtime: AuditRuntime;
  session: SessionModuleOptions;
  /** Runs last on shutdown, after the runtime stopped (main closes mongoose here). */
  onShutdown?: () => Promise<void>;
}

/** The audit HTTP app: query, verify, checkpoint, prove and export the tenant's log (auditor, owner); consent and data-subject rights; the public key; health. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { runtime } = options;
    return {
      module: AppModule,
      imports: [HealthModule.forRoot(), SessionModule.forRoot(options.session)],
      controllers: [
        AuditController,
        CheckpointsController,
        ProofsController,
        ExportController,
        PublicKeyController,
        ConsentsController,
        RequestsController,
        SubjectDataController,
        BreachesController,
        ...(runtime.privacy.testClockEnabled ? [TestClockController] : []),
      ],
      providers: [
        { provide: AuditRuntime, useValue: runtime },
        { provide: QueryTrail, useValue: runtime.queryTrail },
        { provide: VerifyLog, useValue: runtime.verifyLog },
        { provide: MakeCheckpoint, useValue: runtime.makeCheckpoint },
        { provide: CheckpointStoreToken, useValue: runtime.checkpointStore },
        { provide: Prove, useValue: runtime.prove },
        { provide: ExportBundle, useValue: runtime.exportBundle },
        { provide: PUBLISHED_KEY, useValue: runtime.key.published },
        { provide: PrivacyRuntime, useValue: runtime.privacy },
        { provide: ON_SHUTDOWN, useValue: options.onShutdown ?? (async () => undefined) },
        AuditLifecycle,
      ],
    };
  }
}
