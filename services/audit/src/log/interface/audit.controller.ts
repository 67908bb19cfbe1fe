import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import type { AuditEntry } from '../domain/audit-entry';
import { QueryTrail } from '../application/query-trail';
import { VerifyLog } from '../../verification/application/verify-log';
import { actorOf, tenantOf } from '../../shared/http-actor';
import { trailCountQuery, trailQuery, verifyBody } from './http-schemas';

/** Auditors and owners query and verify their tenant's log; admins and members cannot. */
@Controller('v1/tenants/:tenantId/audit')
@UseGuards(SessionGuard)
@Roles('auditor', 'owner')
export class AuditController {
  constructor(
    private readonly queryTrail: QueryTrail,
    private readonly verifyLog: VerifyLog,
  ) {}

  @Get('events')
  async events(@Query() query: unknown, @CurrentSession() session: SessionClaims) {
    const filter = parseOrThrow(trailQuery, query, 'query');
    const page = await this.queryTrail.execute(tenantOf(session), filter, actorOf(session));
    return { entries: page.entries.map(toResponse), nextAfter: page.nextAfter };
  }

  /** How many entries match the trail's filters (`limit` not allowed): the size of a result without paging it. */
  @Get('events/count')
  async count(@Query() query: unknown, @CurrentSession() session: SessionClaims) {
    const { limit: _limit, ...filter } = parseOrThrow(trailCountQuery, query, 'query');
    return { count: await this.queryTrail.count(tenantOf(session), filter, actorOf(session)) };
  }

  /** The whole log without a body; a range with {fromSeq, toSeq}. */
  @Post('verify')
  @HttpCode(200)
  async verify(@Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const range = parseOrThrow(verifyBody, body, 'body');
    const result = await this.verifyLog.execute(tenantOf(session), actorOf(session), range);
    const { latestCheckpoint, ...rest } = result;
    return { ...rest, latestCheckpoint: latestCheckpoint && { ...latestCheckpoint, issuedAt: latestCheckpoint.issuedAt.toISOString() } };
  }
}


function toResponse(entry: AuditEntry) {
  return {
    ...entry,
    occurredAt: entry.occurredAt.toISOString(),
    recordedAt: entry.recordedAt.toISOString(),
    payload: parsePayload(entry.payload),
  };
}

/** The stored canonical JSON as an object; a stored text that is not JSON (tampering) as is. */
function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
