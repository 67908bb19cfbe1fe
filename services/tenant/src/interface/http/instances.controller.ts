import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { CreateInstance } from '../../application';
import { refusalsAsHttp } from './domain-errors';
import { createInstanceBody } from './http-schemas';

/** Public sign-up: no session. The admin's email goes to auth and is never echoed back. */
@Controller('v1/instances')
export class InstancesController {
  constructor(private readonly createInstance: CreateInstance) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown): Promise<{ tenantId: string; instanceName: string }> {
    const input = parseOrThrow(createInstanceBody, body, 'body');
    return refusalsAsHttp(() => this.createInstance.execute(input));
  }
}
