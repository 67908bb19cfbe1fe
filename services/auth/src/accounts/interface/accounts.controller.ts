import { Body, Controller, HttpCode, Param, Patch, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { emailSchema, tenantIdSchema } from '../../shared/interface/input-schemas';
import { ConfirmEmailChange } from '../application/email-change-requests';
import { RectifyAccount, type RectificationOutcome } from '../application/rectify-account';
import { InvalidEmailChangeLinkFilter } from './invalid-email-change-link.filter';

/** Body of both rectification routes: at least one of the two fields, nothing else. */
export const rectificationBody = z
  .strictObject({
    displayName: z.string().trim().min(1, 'at least 1 character').max(200, 'at most 200 characters').optional(),
    email: emailSchema.optional(),
  })
  .refine((body) => body.displayName !== undefined || body.email !== undefined, { error: 'give displayName or email' });

const confirmationBody = z.strictObject({ token: z.string().min(1, 'required').max(512, 'at most 512 characters') });

/** Fastify's reply, as far as choosing the status goes. */
interface StatusReply {
  status(code: number): unknown;
}

const targetParams = z.object({
  tenantId: tenantIdSchema,
  subjectId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a subject id'),
});

/**
 * Rectification (correcting one's name or email). The person themself, or an owner/admin of
 * their tenant who outranks them (403 otherwise); another tenant's path answers 404
 * (SessionGuard), an unknown person 404, an email held by another account of the tenant 409.
 * A name changes at once (200). A new email answers 202: it changes only when the link mailed
 * to the new address is used (POST email-changes/confirm), and the old address is told.
 */
@Controller('v1')
export class AccountsController {
  constructor(
    private readonly rectifyAccount: RectifyAccount,
    private readonly confirmEmailChange: ConfirmEmailChange,
  ) {}

  @Patch('auth/accounts/me')
  @UseGuards(SessionGuard)
  async rectifyOwn(@CurrentSession() session: SessionClaims, @Body() body: unknown, @Res({ passthrough: true }) reply: StatusReply): Promise<RectificationOutcome> {
    const changes = parseOrThrow(rectificationBody, body, 'body');
    const outcome = await this.rectifyAccount.execute(
      { tenantId: session.tenantId, subjectId: session.subjectId, changes },
      { kind: 'person', subjectId: session.subjectId, role: session.role },
    );
    return withStatus(reply, outcome);
  }

  @Patch('tenants/:tenantId/accounts/:subjectId')
  @UseGuards(SessionGuard)
  @Roles('owner', 'admin')
  async rectifyMember(
    @CurrentSession() session: SessionClaims,
    @Param() params: unknown,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: StatusReply,
  ): Promise<RectificationOutcome> {
    const target = parseOrThrow(targetParams, params, 'path parameters');
    const changes = parseOrThrow(rectificationBody, body, 'body');
    const outcome = await this.rectifyAccount.execute(
      { tenantId: session.tenantId, subjectId: target.subjectId, changes },
      { kind: 'person', subjectId: session.subjectId, role: session.role },
    );
    return withStatus(reply, outcome);
  }

  /** The link mailed to a new address: no session needed, the token is the credential. */
  @Post('auth/email-changes/confirm')
  @HttpCode(200)
  @UseFilters(InvalidEmailChangeLinkFilter)
  async confirm(@Body() body: unknown): Promise<{ status: 'confirmed'; tenantId: string }> {
    const { token } = parseOrThrow(confirmationBody, body, 'body');
    const { tenantId } = await this.confirmEmailChange.execute(token);
    return { status: 'confirmed', tenantId };
  }
}

function withStatus(reply: StatusReply, outcome: RectificationOutcome): RectificationOutcome {
  if (outcome.emailChange) reply.status(202);
  return outcome;
}
