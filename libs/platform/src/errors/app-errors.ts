/**
 * Errors a service throws on purpose. Their message is SAFE to show the caller (it must never
 * contain secrets or personal data); the gRPC host and the HTTP filter map `kind` to a status.
 */
export type AppErrorKind =
  | 'not_found'
  | 'invalid'
  | 'conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'rate_limited'
  | 'unavailable';

export abstract class AppError extends Error {
  abstract readonly kind: AppErrorKind;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  readonly kind = 'not_found' as const;
}

export class ValidationError extends AppError {
  readonly kind = 'invalid' as const;
}

export class ConflictError extends AppError {
  readonly kind = 'conflict' as const;
}

export class ForbiddenError extends AppError {
  readonly kind = 'forbidden' as const;
}

export class UnauthenticatedError extends AppError {
  readonly kind = 'unauthenticated' as const;
}

export class RateLimitedError extends AppError {
  readonly kind = 'rate_limited' as const;
  constructor(
    message: string,
    /** Seconds after which a retry may succeed, when known. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

export class UnavailableError extends AppError {
  readonly kind = 'unavailable' as const;
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
