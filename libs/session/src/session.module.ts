import { DynamicModule, Global, Inject, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SessionGuard } from './session.guard';
import { RevocationCheckingVerifier } from './revocation-checking-verifier';
import type { SessionRevocations } from './session-revocations';
import { JwksSessionVerifier, type SessionVerifier } from './session-verifier';
import { SESSION_VERIFIER } from './tokens';

/** revocations: the replica's in-memory revocations (fed by SessionRevocationFeed), checked on every request. */
export type SessionModuleOptions = ({ jwksUrl: string } | { verifier: SessionVerifier }) & { revocations?: SessionRevocations };

/** Provides SESSION_VERIFIER and SessionGuard to the whole app. */
@Global()
@Module({})
export class SessionModule implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(SESSION_VERIFIER) private readonly verifier: SessionVerifier) {}

  static forRoot(options: SessionModuleOptions): DynamicModule {
    const keys = 'verifier' in options ? options.verifier : new JwksSessionVerifier({ jwksUrl: options.jwksUrl });
    const verifier = options.revocations ? new RevocationCheckingVerifier(keys, options.revocations) : keys;
    return {
      module: SessionModule,
      providers: [{ provide: SESSION_VERIFIER, useValue: verifier }, SessionGuard],
      exports: [SESSION_VERIFIER, SessionGuard],
    };
  }

  onModuleInit(): void {
    const keys = this.keys();
    if (keys instanceof JwksSessionVerifier) keys.start();
  }

  onModuleDestroy(): void {
    const keys = this.keys();
    if (keys instanceof JwksSessionVerifier) keys.stop();
  }

  private keys(): SessionVerifier {
    return this.verifier instanceof RevocationCheckingVerifier ? this.verifier.inner : this.verifier;
  }
}
