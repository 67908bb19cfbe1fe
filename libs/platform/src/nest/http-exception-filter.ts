import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Logger } from 'pino';
import { toHttpError } from './http-error-mapping';

/** The part of a Fastify reply the filter uses. */
interface ErrorReply {
  status(code: number): ErrorReply;
  header(name: string, value: string): ErrorReply;
  send(body: unknown): unknown;
  sent?: boolean;
}

/** Global filter: every HTTP error answer is `{error, message, issues?}`; surprises are logged. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const reply = http.getResponse<ErrorReply>();
    const request = http.getRequest<{ method?: string; url?: string }>();
    const mapped = toHttpError(exception);
    if (mapped.unexpected) {
      this.logger.error({ err: exception, method: request.method, path: request.url?.split('?')[0] }, 'request failed');
    }
    if (reply.sent) return;
    reply.status(mapped.status);
    for (const [name, value] of Object.entries(mapped.headers ?? {})) reply.header(name, value);
    reply.send(mapped.body);
  }
}
