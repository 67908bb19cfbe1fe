import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { actorOf, tenantOf } from '../../shared/http-actor';
import type { ConsentView } from '../domain/consents';
import { PrivacyRuntime } from '../privacy-runtime';
import { consentBody, idParam } from './http-schemas';

/** The signed-in person records their consent; they, owners, admins and auditors read it back from the log. */
@Controller('v1/tenants/:tenantId/privacy')
@UseGuards(SessionGuard)
export class ConsentsController {
  constructor(private readonly privacy: PrivacyRuntime) {}

  @Post('consents')
  @HttpCode(202)
  async record(@Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const choice = parseOrThrow(consentBody, body, 'body');
    await this.privacy.consents.record(tenantOf(session), actorOf(session), choice);
    return { subjectId: session.subjectId, ...choice };
  }

  @Get('consents/me')
  async mine(@CurrentSession() session: SessionClaims) {
    return consentResponse(session.subjectId, await this.privacy.consents.view(tenantOf(session), session.subjectId));
  }

  @Get('subjects/:subjectId/consents')
  @Roles('owner', 'admin', 'auditor')
  async ofSubject(@Param('subjectId') subjectParam: string, @CurrentSession() session: SessionClaims) {
    const subjectId = parseOrThrow(idParam('a subject id'), subjectParam, 'path parameters');
    return consentResponse(subjectId, await this.privacy.consents.view(tenantOf(session), subjectId));
  }
}

function consentResponse(subjectId: string, view: ConsentView) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    subjectId,
    consents: view.current.map((c) => ({ purpose: c.purpose, granted: c.granted, textVersion: c.textVersion, at: iso(c.atMs) })),
    history: view.history.map((h) => ({ seq: h.seq, purpose: h.purpose, granted: h.type === 'ConsentGranted', textVersion: h.textVersion, at: iso(h.atMs), actorId: h.actorId })),
  };
}
