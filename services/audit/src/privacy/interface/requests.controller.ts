import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { NotFoundError, parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { actorOf, tenantOf } from '../../shared/http-actor';
import { PrivacyRuntime } from '../privacy-runtime';
import { canOversee } from './access';
import { idParam, requestBody, requestsQuery } from './http-schemas';
import { requestResponse } from './request-response';

/**
 * Data-subject requests: the person for themselves, owners and admins for someone they outrank
 * (403 otherwise: an admin never opens, cancels or lifts for the owner or another admin);
 * auditors read.
 */
@Controller('v1/tenants/:tenantId/privacy')
@UseGuards(SessionGuard)
export class RequestsController {
  constructor(private readonly privacy: PrivacyRuntime) {}

  @Post('requests')
  async open(@Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const { kind, subjectId = session.subjectId } = parseOrThrow(requestBody, body, 'body');
    await this.privacy.actingFor.require(tenantOf(session), session, subjectId);
    const view = await this.privacy.requests.open(tenantOf(session), actorOf(session), subjectId, kind);
    return requestResponse(view, this.privacy.clock.now());
  }

  @Get('requests')
  @Roles('owner', 'admin', 'auditor')
  async list(@Query() query: unknown, @CurrentSession() session: SessionClaims) {
    const filter = parseOrThrow(requestsQuery, query, 'query');
    const rows = await this.privacy.requests.list(tenantOf(session), { ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    const now = this.privacy.clock.now();
    return { requests: page.map((r) => requestResponse(r, now)), nextAfter: rows.length > filter.limit ? page.at(-1)!.requestId : null };
  }

  @Get('requests/:requestId')
  async get(@Param('requestId') requestParam: string, @CurrentSession() session: SessionClaims) {
    const view = await this.visible(requestParam, session);
    return requestResponse(view, this.privacy.clock.now());
  }

  @Post('requests/:requestId/cancel')
  @HttpCode(200)
  async cancel(@Param('requestId') requestParam: string, @CurrentSession() session: SessionClaims) {
    const view = await this.visible(requestParam, session);
    await this.privacy.actingFor.require(tenantOf(session), session, view.subjectId);
    const after = await this.privacy.requests.cancelErasure(tenantOf(session), actorOf(session), view.requestId);
    return requestResponse(after, this.privacy.clock.now());
  }

  @Delete('subjects/:subjectId/restriction')
  @HttpCode(204)
  async lift(@Param('subjectId') subjectParam: string, @CurrentSession() session: SessionClaims): Promise<void> {
    const subjectId = parseOrThrow(idParam('a subject id'), subjectParam, 'path parameters');
    await this.privacy.actingFor.require(tenantOf(session), session, subjectId);
    await this.privacy.requests.liftRestriction(tenantOf(session), actorOf(session), subjectId);
  }

  /** The request, when the session may see it: overseers any of the tenant, a person their own (else 404). */
  private async visible(requestParam: string, session: SessionClaims) {
    const requestId = parseOrThrow(idParam('a request id'), requestParam, 'path parameters');
    const view = await this.privacy.requests.get(tenantOf(session), requestId);
    if (!view || (!canOversee(session) && view.subjectId !== session.subjectId)) throw new NotFoundError('no such request');
    return view;
  }
}
