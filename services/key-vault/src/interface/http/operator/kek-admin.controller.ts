import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { RewrapDataKeys } from '../../../application/rewrap-data-keys';
import { rewrapBody } from '../provider-key.schemas';
import { OperatorTokenGuard } from './operator-token.guard';

/** Operators (x-operator-token): where the data keys stand, and re-wrapping them under the active KEK. */
@Controller('v1/admin/kek')
@UseGuards(OperatorTokenGuard)
export class KekAdminController {
  constructor(private readonly rewrap: RewrapDataKeys) {}

  /** Live data keys per KEK version, and which configured versions could be removed now. */
  @Get()
  status() {
    return this.rewrap.status();
  }

  /** Idempotent and resumable; answers the counts. Decryption keeps working meanwhile. */
  @Post('rewrap')
  @HttpCode(200)
  run(@Body() body: unknown) {
    const options = parseOrThrow(rewrapBody, body ?? {}, 'body');
    return this.rewrap.execute({ trigger: 'operator-api', ...options });
  }
}
