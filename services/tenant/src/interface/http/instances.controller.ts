import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { OPERATOR_TOKEN_HEADER, parseOrThrow } from '@enclave/platform';
import { CreateInstance, SignUpGate } from '../../application';
import { refusalsAsHttp } from './domain-errors';
import { createInstanceBody } from './http-schemas';

interface SignUpRequest {
  ip: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Public sign-up: no session. The admin's email goes to auth and is never echoed back. The sign-up
 * gate runs first: operator-only mode (x-operator-token), per-IP and per-email limits (429).
 */
@Controller('v1/instances')
export class InstancesController {
  constructor(
    private readonly createInstance: CreateInstance,
    private readonly signUpGate: SignUpGate,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown, @Req() request: SignUpRequest): Promise<{ tenantId: string; instanceName: string }> {
    const input = parseOrThrow(createInstanceBody, body, 'body');
    const header = request.headers[OPERATOR_TOKEN_HEADER];
    await this.signUpGate.admit({ clientIp: request.ip, adminEmail: input.adminEmail, operatorToken: Array.isArray(header) ? header[0] : header });
    return refusalsAsHttp(() => this.createInstance.execute(input));
  }
}
