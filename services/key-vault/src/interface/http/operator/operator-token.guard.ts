import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { NotFoundError, operatorTokenMatches, UnauthenticatedError } from '@enclave/platform';

export const OPERATOR_TOKEN = Symbol('OPERATOR_TOKEN');

/**
 * Operator routes need `x-operator-token` equal to OPERATOR_TOKEN (constant-time compare); when
 * OPERATOR_TOKEN is not configured they do not exist (404). Tenant sessions count for nothing.
 */
@Injectable()
export class OperatorTokenGuard implements CanActivate {
  constructor(@Inject(OPERATOR_TOKEN) private readonly token: string | undefined) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.token) throw new NotFoundError('not found');
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['x-operator-token'];
    const presented = Array.isArray(header) ? header[0] : header;
    if (!operatorTokenMatches(this.token, presented)) {
      throw new UnauthenticatedError(presented ? 'operator token rejected' : 'x-operator-token header required');
    }
    return true;
  }
}
