import { Controller, Get, Res } from '@nestjs/common';
import type { Jwks } from '@enclave/platform';
import { SessionSigner } from '../application/session-signer';

@Controller('v1/auth')
export class JwksController {
  constructor(private readonly signer: SessionSigner) {}

  /** Public keys that verify session JWTs; verifiers cache them and refetch on an unknown kid. */
  @Get('jwks')
  jwks(@Res({ passthrough: true }) reply: { header(name: string, value: string): unknown }): Jwks {
    reply.header('cache-control', 'public, max-age=300');
    return this.signer.jwks();
  }
}
