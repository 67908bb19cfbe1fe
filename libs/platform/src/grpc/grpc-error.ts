import { status, type Metadata } from '@grpc/grpc-js';
import { z } from 'zod';
import { isAppError, type AppErrorKind } from '../errors/app-errors';
import { describeIssues } from '../errors/zod-issues';
import { TokenError } from '../identity/jwt-errors';

export { status as GrpcStatus } from '@grpc/grpc-js';

/** A gRPC failure with a status code and a message that is safe to send to the caller. */
export class GrpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly metadata?: Metadata,
  ) {
    super(message);
    this.name = 'GrpcError';
  }

  get codeName(): string {
    return status[this.code] ?? String(this.code);
  }
}

const KIND_TO_STATUS: Record<AppErrorKind, status> = {
  not_found: status.NOT_FOUND,
  invalid: status.INVALID_ARGUMENT,
  conflict: status.ALREADY_EXISTS,
  forbidden: status.PERMISSION_DENIED,
  unauthenticated: status.UNAUTHENTICATED,
  rate_limited: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
};

export const INTERNAL_MESSAGE = 'internal error';

/**
 * The status a handler error becomes. Known errors keep their (safe) message; anything else is
 * INTERNAL with a generic message, and `unexpected` is true so the caller logs the original.
 */
export function toGrpcError(error: unknown): { error: GrpcError; unexpected: boolean } {
  if (error instanceof GrpcError) return { error, unexpected: false };
  if (isAppError(error)) return { error: new GrpcError(KIND_TO_STATUS[error.kind], error.message), unexpected: false };
  if (error instanceof z.core.$ZodError) {
    return { error: new GrpcError(status.INVALID_ARGUMENT, `invalid request: ${describeIssues(error.issues)}`), unexpected: false };
  }
  if (error instanceof TokenError) return { error: new GrpcError(status.UNAUTHENTICATED, error.message), unexpected: false };
  return { error: new GrpcError(status.INTERNAL, INTERNAL_MESSAGE), unexpected: true };
}
