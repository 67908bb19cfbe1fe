import { DynamicModule, Global, Inject, Module, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { HealthRegistry } from '@enclave/platform';
import { RevocationCheckingVerifier } from './revocation-checking-verifier';
import { SessionGuard } from './session.guard';
import type { SessionRevocationFeed } from './revocation-feed';
import type { SessionRevocations } from './session-revocations';
import { JwksSessionVerifier, type SessionVerifier } from './session-verifier';
import { REVOCATION_FEED, SESSION_VERIFIER } from './tokens';

/**
 * revocations: the replica's in-memory revocations, checked on every request. revocationFeed:
 * the same, filled from auth's topic; the module starts it with the app and stops it on shutdown.
 */
export type SessionModuleOptions = ({ jwksUrl: string } | { verifier: SessionVerifier }) & {
  revocations?: SessionRevocations;
  revocationFeed?: SessionRevocationFeed;
};

/** Provides SESSION_VERIFIER and SessionGuard to the whole app. */
@Global()
@Module({})
export class SessionModule implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(SESSION_VERIFIER) private readonly verifier: SessionVerifier,
    @Optional() @Inject(REVOCATION_FEED) private readonly feed?: SessionRevocationFeed,
    @Optional() private readonly health?: HealthRegistry,
  ) {}

  static forRoot(options: SessionModuleOptions): DynamicModule {
    const keys = 'verifier' in options ? options.verifier : new JwksSessionVerifier({ jwksUrl: options.jwksUrl });
    const revocations = options.revocationFeed?.revocations ?? options.revocations;
    const verifier = revocations ? new RevocationCheckingVerifier(keys, revocations) : keys;
    return {
      module: SessionModule,
      providers: [
        { provide: SESSION_VERIFIER, useValue: verifier },
        ...(options.revocationFeed ? [{ provide: REVOCATION_FEED, useValue: options.revocationFeed }] : []),
        SessionGuard,
      ],
      exports: [SESSION_VERIFIER, SessionGuard],
    };
  }

  onModuleInit(): void {
    const keys = this.keys();
    if (keys instanceof JwksSessionVerifier) keys.start();
  }

  /**
   * The feed joins its own consumer group; it reads back over the retention window, so a late
   * join misses nothing. Ready (readyz) while it reads, like chat-gateway's cache events.
   */
  async onApplicationBootstrap(): Promise<void> {
    const feed = this.feed;
    if (!feed) return;
    this.health?.register('session-revocations', () => feed.ready);
    await feed.start();
  }

  async onModuleDestroy(): Promise<void> {
    const keys = this.keys();
    if (keys instanceof JwksSessionVerifier) keys.stop();
    await this.feed?.stop();
  }

  private keys(): SessionVerifier {
    return this.verifier instanceof RevocationCheckingVerifier ? this.verifier.inner : this.verifier;
  }
}
