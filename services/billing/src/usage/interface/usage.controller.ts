import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { Roles, SessionGuard } from '@enclave/session';
import { GetUsageReport, type UsageReport } from '../application/get-usage-report';
import { tenantParams, usageQuery } from '../../interface/http-schemas';

/** Owners and admins see their tenant's usage; members by pseudonymous subject id only. */
@Controller('v1/tenants/:tenantId/usage')
@UseGuards(SessionGuard)
@Roles('owner', 'admin')
export class UsageController {
  constructor(private readonly report: GetUsageReport) {}

  @Get()
  async get(@Param() params: unknown, @Query() query: unknown): Promise<UsageReport> {
    const { tenantId } = parseOrThrow(tenantParams, params, 'path parameters');
    const { month } = parseOrThrow(usageQuery, query, 'query');
    return this.report.execute(tenantId, month);
  }
}
