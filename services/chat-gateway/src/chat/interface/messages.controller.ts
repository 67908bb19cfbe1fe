import { Controller, Inject, Param, Post, Body, Res, UseGuards } from '@nestjs/common';
import { SubjectErasedError } from '@enclave/privacy';
import { parseOrThrow, type Logger } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { callerOf, IdParamsSchema } from '../../shared/http-schemas';
import { CHAT_ROLES } from '../../shared/roles';
import { PrivacyRefusedError } from '../../privacy/application/ports';
import { REFUSAL_MESSAGES } from '../../privacy/domain/privacy-state';
import { FactsUnavailableError, MeteringRefusedError } from '../../metering/application/ports';
import type { RefusalReason } from '../../metering/domain/metering-fact';
import { SendMessage } from '../application/send-message';
import { SseChatResponder } from './sse-chat-responder';

export const MAX_MESSAGE_LENGTH = 32_000;
export const CHAT_LOGGER = Symbol('CHAT_LOGGER');

const SendBodySchema = z.object({
  content: z
    .string()
    .min(1, 'content must not be empty')
    .max(MAX_MESSAGE_LENGTH, `content must be at most ${MAX_MESSAGE_LENGTH} characters`)
    .refine((text) => text.trim() !== '', 'content must not be blank'),
  model: z.string().min(1).max(200).optional(),
});

const REFUSALS: Record<RefusalReason, { status: number; message: string }> = {
  quota_exhausted: { status: 429, message: 'this instance has used its monthly token quota' },
  rate_limited: { status: 429, message: 'too many messages; slow down' },
  key_token_limit_reached: { status: 429, message: 'this key has used its monthly token limit' },
  no_provider_key: { status: 409, message: 'this instance has no provider key yet; an admin must add one' },
};

/** POST a message, get the answer as server-sent events (delta… then done, or error). */
@Controller('v1/conversations')
@UseGuards(SessionGuard)
@Roles(...CHAT_ROLES)
export class MessagesController {
  constructor(
    private readonly sendMessage: SendMessage,
    @Inject(CHAT_LOGGER) private readonly logger: Logger,
  ) {}

  @Post(':id/messages')
  async send(
    @CurrentSession() session: SessionClaims,
    @Param() params: unknown,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { id } = parseOrThrow(IdParamsSchema, params, 'path parameters');
    const input = parseOrThrow(SendBodySchema, body, 'body');
    let chat;
    try {
      chat = await this.sendMessage.prepare(callerOf(session), { conversationId: id, ...input });
    } catch (error) {
      if (error instanceof PrivacyRefusedError || error instanceof SubjectErasedError) {
        // The person is frozen, restricted or erased: 403 {error, message}, as the privacy filter answers elsewhere.
        const refusal = error instanceof PrivacyRefusedError ? { error: error.code, message: error.message } : { error: 'account_frozen', message: REFUSAL_MESSAGES.account_frozen };
        await reply.status(403).send(refusal);
        return;
      }
      if (error instanceof FactsUnavailableError) {
        // Usage could not be recorded right now: shed the chat before the provider is called.
        await reply.status(503).header('retry-after', String(error.retryAfterSec)).send({ error: 'overloaded', message: error.message });
        return;
      }
      if (!(error instanceof MeteringRefusedError)) throw error; // the global filter maps the rest
      if (error.retryAfterSec !== undefined) reply.header('retry-after', String(error.retryAfterSec));
      const { status, message } = REFUSALS[error.reason];
      await reply.status(status).send({ error: error.reason, message });
      return;
    }

    reply.hijack();
    const responder = new SseChatResponder(reply.raw);
    try {
      await this.sendMessage.stream(chat, responder);
    } catch (error) {
      this.logger.error({ err: error }, 'chat stream failed');
      responder.fail({ kind: 'upstream_error', message: 'the chat failed' });
      responder.end();
    }
  }
}
