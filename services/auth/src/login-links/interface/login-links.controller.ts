import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow } from '@enclave/platform';
import { emailSchema, tenantIdSchema } from '../../shared/interface/input-schemas';
import { RequestLoginLink } from '../application/request-login-link';

const loginLinkBody = z.object({ tenantId: tenantIdSchema, email: emailSchema });

@Controller('v1/auth')
export class LoginLinksController {
  constructor(private readonly requestLoginLink: RequestLoginLink) {}

  /**
   * 202 {status: 'accepted'} for every well-formed request, member or not; only an active
   * member gets a mail. 429 {error: 'rate_limited'} past the per-client or per-email limit.
   */
  @Post('login-links')
  @HttpCode(202)
  async create(@Body() body: unknown, @Req() request: { ip: string }): Promise<{ status: 'accepted' }> {
    const input = parseOrThrow(loginLinkBody, body, 'body');
    await this.requestLoginLink.execute({ tenantId: input.tenantId, email: input.email, clientIp: request.ip });
    return { status: 'accepted' };
  }
}
