import { Body, Controller, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { SetQuota } from '../application/set-quota';
import { setQuotaBody, tenantParams } from '../../interface/http-schemas';
import { OperatorTokenGuard } from '../../interface/operator-token.guard';

/** The platform operator sets a tenant's monthly token quota (null = unlimited). */
@Controller('v1/tenants/:tenantId/quota')
@UseGuards(OperatorTokenGuard)
export class QuotaController {
  constructor(private readonly setQuota: SetQuota) {}

  @Put()
  @HttpCode(204)
  async put(@Param() params: unknown, @Body() body: unknown): Promise<void> {
    const { tenantId } = parseOrThrow(tenantParams, params, 'path parameters');
    const { monthlyTokenQuota } = parseOrThrow(setQuotaBody, body, 'body');
    await this.setQuota.execute(tenantId, monthlyTokenQuota);
  }
}
