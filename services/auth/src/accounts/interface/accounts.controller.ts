import { Body, Controller, Param, Patch, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { emailSchema, tenantIdSchema } from '../../shared/interface/input-schemas';
import { RectifyAccount, type AccountView } from '../application/rectify-account';

/** Body of both rectification routes: at least one of the two fields, nothing else. */
export const rectificationBody = z
  .strictObject({
    displayName: z.string().trim().min(1, 'at least 1 character').max(200, 'at most 200 characters').optional(),
    email: emailSchema.optional(),
  })
  .refine((body) => body.displayName !== undefined || body.email !== undefined, { error: 'give displayName or email' });

const targetParams = z.object({
  tenantId: tenantIdSchema,
  subjectId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a subject id'),
});

/**
 * Rectification (correcting one's name or email). The person themself, or an owner/admin of
 * their tenant; another tenant's path answers 404 (SessionGuard), an unknown person 404, an
 * email held by another account of the tenant 409.
 */
@Controller('v1')
@UseGuards(SessionGuard)
export class AccountsController {
  constructor(private readonly rectifyAccount: RectifyAccount) {}

  @Patch('auth/accounts/me')
  async rectifyOwn(@CurrentSession() session: SessionClaims, @Body() body: unknown): Promise<AccountView> {
    const changes = parseOrThrow(rectificationBody, body, 'body');
    return this.rectifyAccount.execute(
      { tenantId: session.tenantId, subjectId: session.subjectId, changes },
      { kind: 'person', subjectId: session.subjectId, role: session.role },
    );
  }

  @Patch('tenants/:tenantId/accounts/:subjectId')
  @Roles('owner', 'admin')
  async rectifyMember(@CurrentSession() session: SessionClaims, @Param() params: unknown, @Body() body: unknown): Promise<AccountView> {
    const target = parseOrThrow(targetParams, params, 'path parameters');
    const changes = parseOrThrow(rectificationBody, body, 'body');
    return this.rectifyAccount.execute(
      { tenantId: session.tenantId, subjectId: target.subjectId, changes },
      { kind: 'person', subjectId: session.subjectId, role: session.role },
    );
  }
}
