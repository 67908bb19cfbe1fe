import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InvalidEmailChangeLinkError } from '../domain/email-change';

/** One answer for unknown, used and expired confirmation links: 400 invalid_link. */
@Catch(InvalidEmailChangeLinkError)
export class InvalidEmailChangeLinkFilter implements ExceptionFilter {
  catch(error: InvalidEmailChangeLinkError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{ status(code: number): { send(body: unknown): unknown } }>();
    reply.status(400).send({ error: 'invalid_link', message: `${error.message}; ask for the change again` });
  }
}
