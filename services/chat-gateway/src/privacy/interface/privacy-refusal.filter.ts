import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SubjectErasedError } from '@enclave/privacy';
import { REFUSAL_MESSAGES } from '../domain/privacy-state';
import { PrivacyRefusedError } from '../application/privacy-errors';

/** 403 {error: 'account_frozen' | 'processing_restricted' | 'message_logging_off' | ..., message}. */
@Catch(PrivacyRefusedError, SubjectErasedError)
export class PrivacyRefusalFilter implements ExceptionFilter {
  catch(error: PrivacyRefusedError | SubjectErasedError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = error instanceof PrivacyRefusedError
      ? { error: error.code, message: error.message }
      : { error: 'account_frozen', message: REFUSAL_MESSAGES.account_frozen };
    void reply.status(403).send(body);
  }
}
