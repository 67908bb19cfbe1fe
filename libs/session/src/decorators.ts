import { createParamDecorator, ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import type { Role, SessionClaims } from './session-claims';
import { ROLES_KEY } from './tokens';

/** Roles allowed on a route or controller; checked by SessionGuard. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The verified session of the request (SessionGuard must run first). */
export const CurrentSession = createParamDecorator((_data: unknown, ctx: ExecutionContext): SessionClaims => {
  const session = ctx.switchToHttp().getRequest<{ enclaveSession?: SessionClaims }>().enclaveSession;
  if (!session) throw new UnauthorizedException({ error: 'unauthenticated', message: 'a session is required' });
  return session;
});
