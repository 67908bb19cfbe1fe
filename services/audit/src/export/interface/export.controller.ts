import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { positiveIntParam } from '../../log/interface/http-schemas';
import { actorOf, tenantOf } from '../../shared/http-actor';
import { ExportBundle } from '../application/export-bundle';

const exportQuery = z
  .object({ fromSeq: positiveIntParam().optional(), toSeq: positiveIntParam().optional() })
  .strict()
  .refine((q) => q.fromSeq === undefined || q.toSeq === undefined || q.fromSeq <= q.toSeq, { message: 'fromSeq must not be after toSeq', path: ['fromSeq'] });

/** An evidence bundle of a range of the tenant's log, verifiable offline (auditor, owner). */
@Controller('v1/tenants/:tenantId/audit/export')
@UseGuards(SessionGuard)
@Roles('auditor', 'owner')
export class ExportController {
  constructor(private readonly exportBundle: ExportBundle) {}

  @Get()
  async export(
    @Query() query: unknown,
    @CurrentSession() session: SessionClaims,
    @Res({ passthrough: true }) reply: { header(name: string, value: string): unknown },
  ) {
    const { fromSeq = 1, toSeq } = parseOrThrow(exportQuery, query, 'query');
    const bundle = await this.exportBundle.execute(tenantOf(session), { fromSeq, ...(toSeq !== undefined && { toSeq }) }, actorOf(session));
    reply.header('content-disposition', `attachment; filename="audit-${bundle.tenantId}-${bundle.fromSeq}-${bundle.toSeq}.json"`);
    return bundle;
  }
}
