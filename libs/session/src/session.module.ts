import { DynamicModule, Global, Inject, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SessionGuard } from './session.guard';
import { JwksSessionVerifier, type SessionVerifier } from './session-verifier';
import { SESSION_VERIFIER } from './tokens';

export type SessionModuleOptions = { jwksUrl: string } | { verifier: SessionVerifier };

/** Provides SESSION_VERIFIER and SessionGuard to the whole app. */
@Global()
@Module({})
export class SessionModule implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(SESSION_VERIFIER) private readonly verifier: SessionVerifier) {}

  static forRoot(options: SessionModuleOptions): DynamicModule {
    const verifier = 'verifier' in options ? options.verifier : new JwksSessionVerifier({ jwksUrl: options.jwksUrl });
    return {
      module: SessionModule,
      providers: [{ provide: SESSION_VERIFIER, useValue: verifier }, SessionGuard],
      exports: [SESSION_VERIFIER, SessionGuard],
    };
  }

  onModuleInit(): void {
    if (this.verifier instanceof JwksSessionVerifier) this.verifier.start();
  }

  onModuleDestroy(): void {
    if (this.verifier instanceof JwksSessionVerifier) this.verifier.stop();
  }
}
