import { Controller, Get, Param, Query, UseFilters, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { ADMIN_READ_REASONS } from '@enclave/privacy';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { z } from 'zod';
import type { ConversationSummary, ConversationWithMessages } from '../../conversations/application/read-conversations';
import { callerOf, IdParamsSchema } from '../../shared/http-schemas';
import { ReadMemberChats } from '../application/read-member-chats';
import { PrivacyRefusalFilter } from './privacy-refusal.filter';

const MemberParamsSchema = z.object({
  tenantId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a tenant id'),
  subjectId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a subject id'),
});
const MemberConversationParamsSchema = MemberParamsSchema.extend({ conversationId: IdParamsSchema.shape.id });
/** Every admin read states why; the reason goes onto the member's privacy receipt. */
const ReasonQuerySchema = z.object({
  reason: z.enum(ADMIN_READ_REASONS, { error: `reason is required: one of ${ADMIN_READ_REASONS.join(', ')}` }),
});

/**
 * Owners/admins reading a member's conversations while the tenant logs messages, for a reason
 * given as ?reason= (400 without one; 403 message_logging_off otherwise, 403 for a restricted
 * or frozen member, 404 for another tenant or an unknown conversation). Only messages written
 * while the tenant logged them are shown. Each read is recorded as MemberChatRead.
 */
@Controller('v1/tenants/:tenantId/members/:subjectId/conversations')
@UseGuards(SessionGuard)
@Roles('owner', 'admin')
@UseFilters(PrivacyRefusalFilter)
export class MemberConversationsController {
  constructor(private readonly readMemberChats: ReadMemberChats) {}

  @Get()
  async list(@CurrentSession() session: SessionClaims, @Param() params: unknown, @Query() query: unknown): Promise<{ conversations: ConversationSummary[] }> {
    const { tenantId, subjectId } = parseOrThrow(MemberParamsSchema, params, 'path parameters');
    const { reason } = parseOrThrow(ReasonQuerySchema, query, 'query');
    return { conversations: await this.readMemberChats.list(callerOf(session), tenantId, subjectId, reason) };
  }

  @Get(':conversationId/messages')
  get(@CurrentSession() session: SessionClaims, @Param() params: unknown, @Query() query: unknown): Promise<ConversationWithMessages> {
    const { tenantId, subjectId, conversationId } = parseOrThrow(MemberConversationParamsSchema, params, 'path parameters');
    const { reason } = parseOrThrow(ReasonQuerySchema, query, 'query');
    return this.readMemberChats.get(callerOf(session), tenantId, subjectId, conversationId, reason);
  }
}
