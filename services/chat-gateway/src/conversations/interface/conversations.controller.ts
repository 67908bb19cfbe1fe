import { UseFilters, Controller, Get, HttpCode, Param, Post, Query, Body, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { z } from 'zod';
import { callerOf, IdParamsSchema } from '../../shared/http-schemas';
import { CHAT_ROLES } from '../../shared/roles';
import { PrivacyRefusalFilter } from '../../privacy/interface/privacy-refusal.filter';
import { MAX_TITLE_LENGTH } from '../domain/conversation';
import { CreateConversation, type CreatedConversation } from '../application/create-conversation';
import { ReadConversations, type ConversationSummary, type ConversationWithMessages } from '../application/read-conversations';

const CreateBodySchema = z
  .object({ title: z.string().max(MAX_TITLE_LENGTH, `title must be at most ${MAX_TITLE_LENGTH} characters`).optional() })
  .optional()
  .transform((body) => body ?? {});

const ListQuerySchema = z.object({ query: z.string().max(MAX_TITLE_LENGTH).optional() });

/** A member's own conversations. Other people's conversations are 404, never 403. */
@Controller('v1/conversations')
@UseGuards(SessionGuard)
@Roles(...CHAT_ROLES)
@UseFilters(PrivacyRefusalFilter)
export class ConversationsController {
  constructor(
    private readonly createConversation: CreateConversation,
    private readonly readConversations: ReadConversations,
  ) {}

  @Post()
  @HttpCode(201)
  create(@CurrentSession() session: SessionClaims, @Body() body: unknown): Promise<CreatedConversation> {
    const input = parseOrThrow(CreateBodySchema, body, 'body');
    return this.createConversation.execute(callerOf(session), input.title);
  }

  @Get()
  async list(@CurrentSession() session: SessionClaims, @Query() query: unknown): Promise<{ conversations: ConversationSummary[] }> {
    const input = parseOrThrow(ListQuerySchema, query, 'query');
    const search = input.query?.trim();
    return { conversations: await this.readConversations.list(callerOf(session), search || undefined) };
  }

  @Get(':id')
  get(@CurrentSession() session: SessionClaims, @Param() params: unknown): Promise<ConversationWithMessages> {
    const { id } = parseOrThrow(IdParamsSchema, params, 'path parameters');
    return this.readConversations.get(callerOf(session), id);
  }
}
