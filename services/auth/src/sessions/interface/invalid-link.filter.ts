import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InvalidLoginLinkError } from '../../login-links/domain/login-link';

/** One answer for unknown, used and expired links and removed members: 401 invalid_link. */
@Catch(InvalidLoginLinkError)
export class InvalidLinkFilter implements ExceptionFilter {
  catch(_error: InvalidLoginLinkError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{ status(code: number): { send(body: unknown): unknown } }>();
    reply.status(401).send({ error: 'invalid_link', message: 'this sign-in link is invalid, used or expired; request a new one' });
  }
}
