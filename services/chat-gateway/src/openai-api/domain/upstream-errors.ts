import { ApiError } from './api-errors';

// What the client is told when the provider fails. The provider's own message is passed on only
// for request errors (400/404/422: they are about the developer's request, and they help), after
// redacting anything key-shaped; auth failures get our message, as the provider's can echo
// parts of the tenant's key.

export type UpstreamFailureCode = 'upstream_timeout' | 'upstream_rate_limited' | 'upstream_error' | 'upstream_stream_broken';

const KEY_LIKE = /\b(?:sk|ek|xai|pk|rk)-[A-Za-z0-9_*.-]{6,}|\bBearer\s+\S+/gi;
const MAX_MESSAGE = 500;

/** The provider's error message, when safe to show, or undefined. */
export function safeProviderMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const message = (parsed as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  return message.replace(KEY_LIKE, '[redacted]').slice(0, MAX_MESSAGE);
}

export interface MappedUpstreamError {
  error: ApiError;
  /** The provider refused the tenant's key: drop the cached credential. */
  credentialRejected: boolean;
}

/** A non-2xx answer of the provider (before any byte went to the client). */
export function mapUpstreamStatus(status: number, body: string): MappedUpstreamError {
  if (status === 401 || status === 403) {
    return { error: new ApiError(502, 'server_error', 'upstream_error', "The provider rejected this instance's key; an admin must check it."), credentialRejected: true };
  }
  if (status === 429) {
    return { error: new ApiError(429, 'requests', 'upstream_rate_limited', 'The provider is rate limiting this instance; retry shortly.'), credentialRejected: false };
  }
  if (status === 408 || status === 504) return { error: upstreamFailure('upstream_timeout'), credentialRejected: false };
  if (status === 400 || status === 404 || status === 422) {
    const message = safeProviderMessage(body) ?? `The provider refused the request (${status}).`;
    return { error: new ApiError(status, 'invalid_request_error', 'upstream_invalid_request', message), credentialRejected: false };
  }
  if (status >= 400 && status < 500) {
    return { error: new ApiError(502, 'server_error', 'upstream_error', `The provider refused the request (${status}).`), credentialRejected: false };
  }
  return { error: new ApiError(502, 'server_error', 'upstream_error', `The provider failed (${status}).`), credentialRejected: false };
}

export function upstreamFailure(code: UpstreamFailureCode): ApiError {
  switch (code) {
    case 'upstream_timeout':
      return new ApiError(504, 'server_error', code, 'The provider did not answer in time.');
    case 'upstream_rate_limited':
      return new ApiError(429, 'requests', code, 'The provider is rate limiting this instance; retry shortly.');
    case 'upstream_stream_broken':
      return new ApiError(502, 'server_error', code, 'The provider stream broke off before the answer was complete.');
    case 'upstream_error':
      return new ApiError(502, 'server_error', code, 'Could not reach the provider.');
  }
}

/** An error after the stream started: one SSE event OpenAI SDKs raise as an APIError. */
export function sseErrorEvent(error: ApiError): string {
  return `data: ${error.body()}\n\n`;
}
