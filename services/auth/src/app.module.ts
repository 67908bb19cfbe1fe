import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@enclave/platform';
import { SessionModule, StaticKeysSessionVerifier } from '@enclave/session';
import { AuthLifecycle, ON_SHUTDOWN } from './composition/auth-lifecycle';
import { AuthRuntime } from './composition/auth-runtime';
import { ConfirmEmailChange } from './accounts/application/email-change-requests';
import { RectifyAccount } from './accounts/application/rectify-account';
import { AccountsController } from './accounts/interface/accounts.controller';
import { RequestLoginLink } from './login-links/application/request-login-link';
import { LoginLinksController } from './login-links/interface/login-links.controller';
import { SessionSigner } from './sessions/application/session-signer';
import { ListSessions } from './sessions/application/list-sessions';
import { RefreshSession } from './sessions/application/refresh-session';
import { RevokeSessions } from './sessions/application/revoke-sessions';
import { StartSession } from './sessions/application/start-session';
import { SessionListController } from './sessions/interface/session-list.controller';
import { JwksController } from './sessions/interface/jwks.controller';
import { SessionCookieSettings } from './sessions/interface/session-cookie';
import { SessionsController } from './sessions/interface/sessions.controller';

export interface AppModuleOptions {
  runtime: AuthRuntime;
  cookieSecure: boolean;
  /** Clock of session verification (tests move it). */
  now?: () => number;
  /** Runs last on shutdown, after the runtime stopped. */
  onShutdown?: () => Promise<void>;
}

/** Auth's HTTP app: login links, sessions, account rectification, JWKS, health. Sessions verify against our own keys. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { runtime } = options;
    return {
      module: AppModule,
      imports: [
        HealthModule.forRoot(),
        SessionModule.forRoot({ verifier: new StaticKeysSessionVerifier(runtime.signer.jwks(), options.now), revocations: runtime.revocations }),
      ],
      controllers: [LoginLinksController, SessionsController, SessionListController, JwksController, AccountsController],
      providers: [
        { provide: AuthRuntime, useValue: runtime },
        { provide: RequestLoginLink, useValue: runtime.requestLoginLink },
        { provide: StartSession, useValue: runtime.startSession },
        { provide: RefreshSession, useValue: runtime.refreshSession },
        { provide: RevokeSessions, useValue: runtime.revokeSessions },
        { provide: ListSessions, useValue: runtime.listSessions },
        { provide: RectifyAccount, useValue: runtime.rectifyAccount },
        { provide: ConfirmEmailChange, useValue: runtime.confirmEmailChange },
        { provide: SessionSigner, useValue: runtime.signer },
        { provide: SessionCookieSettings, useValue: new SessionCookieSettings(options.cookieSecure) },
        { provide: ON_SHUTDOWN, useValue: options.onShutdown ?? (async () => undefined) },
        AuthLifecycle,
      ],
    };
  }
}
