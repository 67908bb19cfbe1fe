import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import type { AdminReader } from '../application/export-subject';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { actorOf, tenantOf } from '../../shared/http-actor';
import { PrivacyRuntime } from '../privacy-runtime';
import { exportQuery, idParam, receiptsQuery, recordsQuery } from './http-schemas';
import { deletionRecord } from './request-response';

/** The access/portability export, privacy receipts and deletion records. */
@Controller('v1/tenants/:tenantId/privacy')
@UseGuards(SessionGuard)
export class SubjectDataController {
  constructor(private readonly privacy: PrivacyRuntime) {}

  /**
   * One JSON document (the exact bytes hashed into SubjectDataExported). 503 names a service that
   * did not answer. Pulled for someone else (an owner or admin who outranks them) it needs
   * ?reason= (ADMIN_READ_REASONS) and carries the person's messages only as the admin-read
   * policy allows; the person's own export holds everything.
   */
  @Get('subjects/:subjectId/export')
  async export(
    @Param('subjectId') subjectParam: string,
    @Query() query: unknown,
    @CurrentSession() session: SessionClaims,
    @Res({ passthrough: true }) reply: { header(name: string, value: string): unknown },
  ): Promise<string> {
    const subjectId = parseOrThrow(idParam('a subject id'), subjectParam, 'path parameters');
    await this.privacy.actingFor.require(tenantOf(session), session, subjectId);
    let adminReader: AdminReader | undefined;
    if (subjectId !== session.subjectId && (session.role === 'owner' || session.role === 'admin')) {
      const { reason } = parseOrThrow(exportQuery, query, 'query');
      adminReader = { subjectId: session.subjectId, role: session.role, reason };
    }
    const result = await this.privacy.exportSubject.execute(tenantOf(session), actorOf(session), subjectId, adminReader);
    reply.header('content-type', 'application/json; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="personal-data-${subjectId}.json"`);
    reply.header('x-enclave-document-sha256', result.documentSha256);
    reply.header('x-enclave-request-id', result.requestId);
    return result.text;
  }

  @Get('receipts')
  async receipts(@Query() query: unknown, @CurrentSession() session: SessionClaims) {
    const page = parseOrThrow(receiptsQuery, query, 'query');
    return this.privacy.receipts.list(tenantOf(session), session.subjectId, page);
  }

  @Get('deletion-records')
  @Roles('owner', 'admin', 'auditor')
  async deletionRecords(@Query() query: unknown, @CurrentSession() session: SessionClaims) {
    const { after, limit } = parseOrThrow(recordsQuery, query, 'query');
    const rows = await this.privacy.readModel.erased(tenantOf(session), after, limit + 1);
    const page = rows.slice(0, limit);
    return { records: page.map(deletionRecord), nextAfter: rows.length > limit ? page.at(-1)!.requestId : null };
  }
}
