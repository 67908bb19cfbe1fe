import type { ProviderFailure, ProviderFailureKind } from '../../metering/domain/provider-failure';
import { ApiError } from './api-errors';

// What an API client is told when the provider fails (classified once, for both front doors, in
// metering/domain/provider-failure.ts), as OpenAI errors: request errors keep the provider's
// redacted message and status; a refused key, a failing provider or an unreachable one are 502.

export type UpstreamFailureCode = ProviderFailureKind;

/** The OpenAI error for a provider failure; before the answer started, its status is the response's. */
export function apiErrorOfFailure(failure: ProviderFailure): ApiError {
  const { status } = failure;
  if (failure.credentialRejected) return new ApiError(502, 'server_error', 'upstream_error', "The provider rejected this instance's key; an admin must check it.");
  if (failure.kind !== 'upstream_error' || status === undefined) return upstreamFailure(failure.kind);
  if (status === 400 || status === 404 || status === 422) {
    return new ApiError(status, 'invalid_request_error', 'upstream_invalid_request', failure.providerMessage ?? `The provider refused the request (${status}).`);
  }
  if (status >= 400 && status < 500) return new ApiError(502, 'server_error', 'upstream_error', `The provider refused the request (${status}).`);
  return new ApiError(502, 'server_error', 'upstream_error', `The provider failed (${status}).`);
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
