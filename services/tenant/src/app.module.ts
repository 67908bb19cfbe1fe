import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@enclave/platform';
import { SessionModule, type SessionModuleOptions } from '@enclave/session';
import { AddMember, ChangeMemberRole, ChangeSettings, CreateInstance, OwnershipTransfer, RemoveMember, SignUpGate, TenantQueries } from './application';
import { ON_SHUTDOWN, TenantLifecycle } from './composition/tenant-lifecycle';
import { TenantRuntime } from './composition/tenant-runtime';
import { InstancesController } from './interface/http/instances.controller';
import { MembersController } from './interface/http/members.controller';
import { OwnershipController } from './interface/http/ownership.controller';
import { TenantController } from './interface/http/tenant.controller';

export interface AppModuleOptions {
  runtime: TenantRuntime;
  /** Operator-only mode and the per-IP / per-email limits of POST /v1/instances. */
  signUpGate: SignUpGate;
  session: SessionModuleOptions;
  /** Runs last on shutdown, after the runtime stopped (main.ts closes mongoose here). */
  onShutdown?: () => Promise<void>;
}

/** The tenant HTTP app: public sign-up, tenant settings and members, health. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { runtime } = options;
    return {
      module: AppModule,
      imports: [HealthModule.forRoot(), SessionModule.forRoot(options.session)],
      controllers: [InstancesController, TenantController, MembersController, OwnershipController],
      providers: [
        { provide: TenantRuntime, useValue: runtime },
        { provide: CreateInstance, useValue: runtime.createInstance },
        { provide: SignUpGate, useValue: options.signUpGate },
        { provide: AddMember, useValue: runtime.addMember },
        { provide: RemoveMember, useValue: runtime.removeMember },
        { provide: ChangeMemberRole, useValue: runtime.changeMemberRole },
        { provide: OwnershipTransfer, useValue: runtime.ownershipTransfer },
        { provide: ChangeSettings, useValue: runtime.changeSettings },
        { provide: TenantQueries, useValue: runtime.queries },
        { provide: ON_SHUTDOWN, useValue: options.onShutdown ?? (async () => undefined) },
        TenantLifecycle,
      ],
    };
  }
}
