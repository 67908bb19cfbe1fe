import { Controller, Delete, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, SessionGuard, type SessionClaims } from '@enclave/session';
import type { ActorRef } from '../../shared/application/actor';
import { ListSessions, type SessionSummary } from '../application/list-sessions';
import { RevokeSessions } from '../application/revoke-sessions';
import { clearSessionCookies, SessionCookieSettings, type HeaderReply } from './session-cookie';

const SessionParams = z.object({ id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a session id') });

/** Each person sees and ends their own sign-ins in this tenant (no token or hash is ever shown). */
@Controller('v1/auth/sessions')
@UseGuards(SessionGuard)
export class SessionListController {
  constructor(
    private readonly listSessions: ListSessions,
    private readonly revokeSessions: RevokeSessions,
    private readonly cookie: SessionCookieSettings,
  ) {}

  @Get()
  async list(@CurrentSession() session: SessionClaims): Promise<{ sessions: SessionSummary[] }> {
    return { sessions: await this.listSessions.execute(session.tenantId, session.subjectId, session.sessionId) };
  }

  /** Ends one of the caller's sign-ins; another person's (or an unknown) id is 404. */
  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentSession() session: SessionClaims, @Param() params: unknown): Promise<void> {
    const { id } = parseOrThrow(SessionParams, params, 'path parameters');
    await this.revokeSessions.revokeOwn(session.tenantId, session.subjectId, id, actorOf(session));
  }

  /** "Sign out everywhere": every sign-in of the caller in this tenant, this one included. */
  @Post('revoke-all')
  @HttpCode(200)
  async revokeAll(@CurrentSession() session: SessionClaims, @Res({ passthrough: true }) reply: HeaderReply): Promise<{ revoked: number }> {
    const revoked = await this.revokeSessions.signOutEverywhere(session.tenantId, session.subjectId, actorOf(session), session.sessionId);
    clearSessionCookies(reply, this.cookie);
    return { revoked };
  }
}

function actorOf(session: SessionClaims): ActorRef {
  return { kind: 'person', subjectId: session.subjectId, role: session.role };
}
