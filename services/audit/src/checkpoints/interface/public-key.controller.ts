import { Controller, Get, Inject } from '@nestjs/common';
import type { PublishedKey } from '../infrastructure/checkpoint-key';

export const PUBLISHED_KEY = Symbol('AUDIT_PUBLISHED_KEY');

/** The public half of the checkpoint signing key; no session: anyone may verify a bundle. */
@Controller('v1/audit/public-key')
export class PublicKeyController {
  constructor(@Inject(PUBLISHED_KEY) private readonly key: PublishedKey) {}

  @Get()
  get(): PublishedKey {
    return this.key;
  }
}
