import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, extractSessionToken, readCookie, REFRESH_COOKIE, SESSION_VERIFIER, SessionGuard, type SessionClaims, type SessionVerifier } from '@enclave/session';
import type { Role } from '../../shared/roles';
import type { IssuedSession } from '../application/access-token';
import { RefreshSession } from '../application/refresh-session';
import { RevokeSessions } from '../application/revoke-sessions';
import { StartSession } from '../application/start-session';
import { InvalidLinkFilter } from './invalid-link.filter';
import { InvalidRefreshFilter } from './invalid-refresh.filter';
import { clearSessionCookies, SessionCookieSettings, setSessionCookies, type HeaderReply } from './session-cookie';

const sessionBody = z.object({ token: z.string().min(1, 'required').max(512, 'at most 512 characters') });
const refreshBody = z.object({ refreshToken: z.string().min(1, 'required').max(512, 'at most 512 characters').optional() }).optional();

export interface SessionView {
  subjectId: string;
  tenantId: string;
  role: Role;
}

/** What a sign-in or a refresh answers (API clients keep refreshToken; browsers get cookies). */
export interface IssuedSessionView extends SessionView {
  token: string;
  expiresAt: string;
  refreshToken: string;
  sessionId: string;
  sessionExpiresAt: string;
}


@Controller('v1/auth')
export class SessionsController {
  constructor(
    private readonly startSession: StartSession,
    private readonly refreshSession: RefreshSession,
    private readonly revokeSessions: RevokeSessions,
    private readonly cookie: SessionCookieSettings,
    @Inject(SESSION_VERIFIER) private readonly verifier: SessionVerifier,
  ) {}

  /** Exchanges a login-link token for a sign-in: a short-lived access token and a rotating refresh token. */
  @Post('sessions')
  @HttpCode(200)
  @UseFilters(InvalidLinkFilter)
  async create(@Body() body: unknown, @Res({ passthrough: true }) reply: HeaderReply): Promise<IssuedSessionView> {
    const { token } = parseOrThrow(sessionBody, body, 'body');
    return this.answer(reply, await this.startSession.execute(token));
  }

  /** A new access token (current role) for the refresh token in the body or the cookie; the refresh token rotates. */
  @Post('refresh')
  @HttpCode(200)
  @UseFilters(InvalidRefreshFilter)
  async refresh(@Body() body: unknown, @Headers() headers: Record<string, string | undefined>, @Res({ passthrough: true }) reply: HeaderReply): Promise<IssuedSessionView> {
    const token = parseOrThrow(refreshBody, body ?? undefined, 'body')?.refreshToken ?? readCookie(headers.cookie, REFRESH_COOKIE) ?? '';
    return this.answer(reply, await this.refreshSession.execute(token));
  }

  /** The caller's verified session (Bearer token or cookie). */
  @Get('session')
  @UseGuards(SessionGuard)
  current(@CurrentSession() session: SessionClaims): SessionView & { sessionId: string; expiresAt: string } {
    return {
      subjectId: session.subjectId,
      tenantId: session.tenantId,
      role: session.role,
      sessionId: session.sessionId,
      expiresAt: new Date(session.expiresAt).toISOString(),
    };
  }

  /**
   * Ends the current sign-in everywhere (its access tokens are refused on every replica within
   * seconds, its refresh token is dead) and clears the cookies. The sign-in is named by the
   * refresh token (body or cookie), else by a still-valid access token; 204 either way.
   */
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: unknown, @Headers() headers: Record<string, string | undefined>, @Res({ passthrough: true }) reply: HeaderReply): Promise<void> {
    const refreshToken = refreshBody.safeParse(body ?? undefined).data?.refreshToken ?? readCookie(headers.cookie, REFRESH_COOKIE);
    const ended = refreshToken ? await this.revokeSessions.logoutWithRefreshToken(refreshToken) : false;
    const accessToken = extractSessionToken(headers);
    if (!ended && accessToken) {
      const session = await this.verifier.verify(accessToken).catch(() => undefined);
      if (session) await this.revokeSessions.logout(session.tenantId, session.subjectId, session.sessionId, { kind: 'person', subjectId: session.subjectId, role: session.role });
    }
    clearSessionCookies(reply, this.cookie);
  }

  private answer(reply: HeaderReply, issued: IssuedSession): IssuedSessionView {
    setSessionCookies(
      reply,
      this.cookie,
      { token: issued.token, maxAgeSec: (issued.expiresAtMs - issued.issuedAtMs) / 1000 },
      { token: issued.refreshToken, maxAgeSec: (issued.sessionExpiresAtMs - issued.issuedAtMs) / 1000 },
    );
    reply.header('cache-control', 'no-store');
    return {
      token: issued.token,
      expiresAt: new Date(issued.expiresAtMs).toISOString(),
      refreshToken: issued.refreshToken,
      sessionId: issued.sessionId,
      sessionExpiresAt: new Date(issued.sessionExpiresAtMs).toISOString(),
      subjectId: issued.subjectId,
      tenantId: issued.tenantId,
      role: issued.role,
    };
  }
}
