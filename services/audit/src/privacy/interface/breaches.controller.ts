import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { NotFoundError, parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { actorOf, tenantOf } from '../../shared/http-actor';
import { PrivacyRuntime } from '../privacy-runtime';
import { breachResponse } from './breach-response';
import { breachBody, breachesQuery, idParam } from './http-schemas';

/**
 * Personal-data breaches of the tenant: owners and admins record and resolve them (auth then
 * mails every owner and admin); owners, admins and auditors read them. The description is only
 * served by the single-incident read, never in the list.
 */
@Controller('v1/tenants/:tenantId/privacy/breaches')
@UseGuards(SessionGuard)
export class BreachesController {
  constructor(private readonly privacy: PrivacyRuntime) {}

  @Post()
  @Roles('owner', 'admin')
  async record(@Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const input = parseOrThrow(breachBody, body, 'body');
    const view = await this.privacy.breaches.record(tenantOf(session), actorOf(session), input);
    return breachResponse(view, this.privacy.clock.now());
  }

  @Get()
  @Roles('owner', 'admin', 'auditor')
  async list(@Query() query: unknown, @CurrentSession() session: SessionClaims) {
    const filter = parseOrThrow(breachesQuery, query, 'query');
    const rows = await this.privacy.breaches.list(tenantOf(session), { ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    const now = this.privacy.clock.now();
    return { incidents: page.map((r) => breachResponse(r, now)), nextAfter: rows.length > filter.limit ? page.at(-1)!.incidentId : null };
  }

  @Get(':incidentId')
  @Roles('owner', 'admin', 'auditor')
  async get(@Param('incidentId') incidentParam: string, @CurrentSession() session: SessionClaims) {
    const incidentId = parseOrThrow(idParam('an incident id'), incidentParam, 'path parameters');
    const view = await this.privacy.breaches.get(tenantOf(session), incidentId);
    if (!view) throw new NotFoundError('no such incident');
    const description = (await this.privacy.breaches.description(tenantOf(session), incidentId)) ?? null;
    return { ...breachResponse(view, this.privacy.clock.now()), description };
  }

  @Post(':incidentId/resolve')
  @HttpCode(200)
  @Roles('owner', 'admin')
  async resolve(@Param('incidentId') incidentParam: string, @CurrentSession() session: SessionClaims) {
    const incidentId = parseOrThrow(idParam('an incident id'), incidentParam, 'path parameters');
    const view = await this.privacy.breaches.resolve(tenantOf(session), actorOf(session), incidentId);
    return breachResponse(view, this.privacy.clock.now());
  }
}
