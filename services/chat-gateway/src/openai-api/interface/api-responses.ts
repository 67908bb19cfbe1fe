import type { ServerResponse } from 'node:http';
import type { ApiError } from '../domain/api-errors';

/** JSON on the raw response (the reply is hijacked: no Fastify serialization on this path). */
export function sendJson(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendApiError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, error.body(), error.retryAfterSec === undefined ? undefined : { 'retry-after': String(error.retryAfterSec) });
}
