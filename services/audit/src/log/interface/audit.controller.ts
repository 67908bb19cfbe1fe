import { Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { eventsV1 } from '@enclave/proto';
import { tenantId as toTenantId, type Actor } from '@enclave/eventing';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import type { AuditEntry } from '../domain/audit-entry';
import type { VerifyResult } from '../domain/verify-chain';
import { QueryTrail } from '../application/query-trail';
import { VerifyLog } from '../application/verify-log';
import { trailQuery } from './http-schemas';

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

  @Post('verify')
  @HttpCode(200)
  async verify(@CurrentSession() session: SessionClaims): Promise<VerifyResult> {
    return this.verifyLog.execute(tenantOf(session), actorOf(session));
  }
}

// SessionGuard has already answered 404 unless the route's tenant is the session's.
const tenantOf = (session: SessionClaims) => toTenantId(session.tenantId);

const actorOf = (session: SessionClaims): Actor => ({
  kind: eventsV1.ActorKind.ACTOR_KIND_PERSON,
  id: session.subjectId,
  role: session.role,
});

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
