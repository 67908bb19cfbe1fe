import { Body, Controller, Get, HttpCode, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, SessionGuard, type SessionClaims } from '@enclave/session';
import type { Role } from '../../shared/roles';
import { StartSession } from '../application/start-session';
import { InvalidLinkFilter } from './invalid-link.filter';
import { clearSessionCookie, SessionCookieSettings, setSessionCookie, type HeaderReply } from './session-cookie';

const sessionBody = z.object({ token: z.string().min(1, 'required').max(512, 'at most 512 characters') });

export interface SessionView {
  subjectId: string;
  tenantId: string;
  role: Role;
}

@Controller('v1/auth')
export class SessionsController {
  constructor(
    private readonly startSession: StartSession,
    private readonly cookie: SessionCookieSettings,
  ) {}

  /** Exchanges a login-link token for a session: JSON (for API clients) plus the cookie. */
  @Post('sessions')
  @HttpCode(200)
  @UseFilters(InvalidLinkFilter)
  async create(@Body() body: unknown, @Res({ passthrough: true }) reply: HeaderReply): Promise<SessionView & { token: string; expiresAt: string }> {
    const { token } = parseOrThrow(sessionBody, body, 'body');
    const session = await this.startSession.execute(token);
    setSessionCookie(reply, this.cookie, session.token, (session.expiresAtMs - session.issuedAtMs) / 1000);
    reply.header('cache-control', 'no-store');
    return {
      token: session.token,
      expiresAt: new Date(session.expiresAtMs).toISOString(),
      subjectId: session.subjectId,
      tenantId: session.tenantId,
      role: session.role,
    };
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

  /** Clears the session cookie; the JWT itself stays valid until it expires. */
  @Post('logout')
  @HttpCode(204)
  logout(@Res({ passthrough: true }) reply: HeaderReply): void {
    clearSessionCookie(reply, this.cookie);
  }
}
