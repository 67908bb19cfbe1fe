import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TokenError } from '@enclave/platform';
import { SESSION_COOKIE, type Role, type SessionClaims } from './session-claims';
import type { SessionVerifier } from './session-verifier';
import { ROLES_KEY, SESSION_VERIFIER } from './tokens';

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
  enclaveSession?: SessionClaims;
}

/** Bearer token first (API clients), then the HttpOnly session cookie (browsers). */
export function extractSessionToken(headers: RequestLike['headers']): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  return readCookie(headers.cookie, SESSION_COOKIE);
}

/** One cookie's value from a Cookie header (the refresh token's too). */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return cookieValue(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** A malformed percent-encoding is kept as it is: verification then refuses it (401, not 500). */
function cookieValue(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw) || undefined;
  } catch {
    return raw || undefined;
  }
}

/**
 * 401 without a valid session; 404 when the route names another tenant (never confirm that
 * another tenant's ids exist); 403 when the role is not among @Roles(...).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    @Inject(SESSION_VERIFIER) private readonly verifier: SessionVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestLike>();
    const token = extractSessionToken(request.headers);
    if (!token) throw new UnauthorizedException({ error: 'unauthenticated', message: 'a session is required' });
    let session: SessionClaims;
    try {
      session = await this.verifier.verify(token);
    } catch (error) {
      const message = error instanceof TokenError ? error.message : 'session could not be verified';
      throw new UnauthorizedException({ error: 'unauthenticated', message });
    }
    const tenantParam = request.params?.tenantId;
    if (tenantParam !== undefined && tenantParam !== session.tenantId) {
      throw new NotFoundException({ error: 'not_found', message: 'tenant not found' });
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(session.role)) {
      throw new ForbiddenException({ error: 'forbidden', message: `requires role ${roles.join(' or ')}` });
    }
    request.enclaveSession = session;
    return true;
  }
}
