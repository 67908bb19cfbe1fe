import { status as grpcStatus } from '@grpc/grpc-js';
import { HttpException } from '@nestjs/common';
import { z } from 'zod';
import { isAppError, RateLimitedError, type AppErrorKind } from '../errors/app-errors';
import { describeIssues, summarizeIssues, type IssueSummary } from '../errors/zod-issues';
import { GrpcError } from '../grpc/grpc-error';
import { TokenError } from '../identity/jwt-errors';

export interface HttpErrorBody {
  error: string;
  message: string;
  issues?: IssueSummary[];
}

export interface HttpErrorResponse {
  status: number;
  body: HttpErrorBody;
  headers?: Record<string, string>;
  /** Not a deliberate error: log it (the body stays generic). */
  unexpected: boolean;
}

const ERROR_CODES: Record<number, string> = {
  400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  406: 'not_acceptable', 408: 'timeout', 409: 'conflict', 410: 'gone', 412: 'precondition_failed',
  413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'unprocessable', 429: 'rate_limited',
  500: 'internal', 501: 'not_implemented', 502: 'bad_gateway', 503: 'unavailable', 504: 'timeout',
};

const KIND_STATUS: Record<AppErrorKind, number> = {
  not_found: 404, invalid: 400, conflict: 409, forbidden: 403, unauthenticated: 401, rate_limited: 429, unavailable: 503,
};

const codeFor = (status: number) => ERROR_CODES[status] ?? (status >= 500 ? 'internal' : 'bad_request');
const INTERNAL: HttpErrorResponse = { status: 500, body: { error: 'internal', message: 'internal error' }, unexpected: true };

/** Turns anything a request handler throws into a status and a body without secrets. */
export function toHttpError(exception: unknown): HttpErrorResponse {
  if (exception instanceof z.core.$ZodError) {
    const issues = summarizeIssues(exception.issues);
    return { status: 400, body: { error: 'bad_request', message: `invalid request: ${describeIssues(exception.issues)}`, issues }, unexpected: false };
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (isAppError(exception)) {
    const status = KIND_STATUS[exception.kind];
    const headers = exception instanceof RateLimitedError && exception.retryAfterSec !== undefined
      ? { 'retry-after': String(Math.ceil(exception.retryAfterSec)) } : undefined;
    return { status, body: { error: codeFor(status), message: exception.message }, ...(headers && { headers }), unexpected: false };
  }
  if (exception instanceof TokenError) return { status: 401, body: { error: 'unauthenticated', message: exception.message }, unexpected: false };
  if (exception instanceof GrpcError) {
    const transient = exception.code === grpcStatus.UNAVAILABLE || exception.code === grpcStatus.DEADLINE_EXCEEDED;
    return transient
      ? { status: 503, body: { error: 'unavailable', message: 'a dependency is unavailable, retry later' }, unexpected: true }
      : INTERNAL;
  }
  const framework = frameworkClientError(exception);
  return framework ?? INTERNAL;
}

function fromHttpException(exception: HttpException): HttpErrorResponse {
  const status = exception.getStatus();
  if (status >= 500) return { ...INTERNAL, status, body: { error: codeFor(status), message: status === 500 ? 'internal error' : exception.message } };
  const response = exception.getResponse();
  let message = exception.message;
  let issues: IssueSummary[] | undefined;
  if (typeof response === 'string') message = response;
  else if (response && typeof response === 'object') {
    const r = response as { message?: unknown; issues?: unknown };
    if (typeof r.message === 'string') message = r.message;
    else if (Array.isArray(r.message)) message = r.message.map(String).join('; ');
    if (Array.isArray(r.issues)) issues = r.issues as IssueSummary[];
  }
  return { status, body: { error: codeFor(status), message, ...(issues && { issues }) }, unexpected: false };
}

/** Fastify's own 4xx errors (bad JSON, body too large, wrong content type), with fixed messages. */
function frameworkClientError(exception: unknown): HttpErrorResponse | undefined {
  if (!exception || typeof exception !== 'object') return undefined;
  const { statusCode, code } = exception as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  const messages: Record<number, string> = {
    400: 'malformed request', 413: 'request body too large', 415: 'unsupported content type',
  };
  return { status: statusCode, body: { error: codeFor(statusCode), message: messages[statusCode] ?? 'bad request' }, unexpected: false };
}
