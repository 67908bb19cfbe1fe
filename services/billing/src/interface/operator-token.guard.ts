import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';

export const OPERATOR_TOKEN = Symbol('OPERATOR_TOKEN');
export const OPERATOR_TOKEN_HEADER = 'x-operator-token';

/**
 * Platform-operator routes: header x-operator-token must equal OPERATOR_TOKEN. Missing → 401,
 * wrong → 403. Both sides are hashed first so the comparison takes the same time whatever the
 * length or content of the guess.
 */
@Injectable()
export class OperatorTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(OPERATOR_TOKEN) token: string) {
    this.expected = digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const headers = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers;
    const given = headers[OPERATOR_TOKEN_HEADER];
    if (typeof given !== 'string' || given === '') {
      throw new UnauthorizedException({ error: 'unauthenticated', message: `header ${OPERATOR_TOKEN_HEADER} is required` });
    }
    if (!timingSafeEqual(digest(given), this.expected)) {
      throw new ForbiddenException({ error: 'forbidden', message: 'operator token not accepted' });
    }
    return true;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
