import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InvalidRefreshError } from '../application/refresh-session';

/** One answer for unknown, reused, revoked and expired refresh tokens and removed members: 401 invalid_refresh. */
@Catch(InvalidRefreshError)
export class InvalidRefreshFilter implements ExceptionFilter {
  catch(error: InvalidRefreshError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{ status(code: number): { send(body: unknown): unknown } }>();
    reply.status(401).send({ error: 'invalid_refresh', message: error.message });
  }
}
