// Errors of the OpenAI-compatible API, in OpenAI's shape: {error: {message, type, param, code}},
// so SDK clients raise their usual exception classes (AuthenticationError, RateLimitError, …).
// Messages are ours: never a key, never the tenant's hidden instruction.

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
    message: string,
    readonly param: string | null = null,
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }

  /** The JSON body OpenAI clients expect. */
  body(): string {
    return JSON.stringify({ error: { message: this.message, type: this.type, param: this.param, code: this.code } });
  }
}

export const invalidApiKey = () =>
  new ApiError(401, 'invalid_request_error', 'invalid_api_key', 'Invalid virtual key. Pass a key issued by your instance admin as "Authorization: Bearer ek-...".');

export const badRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new ApiError(400, 'invalid_request_error', code, message, param);

export const modelNotAllowed = (model: string) =>
  new ApiError(403, 'invalid_request_error', 'model_not_allowed', `The model '${model}' is not allowed for this key.`, 'model');

export const modelNotFound = (model: string) =>
  new ApiError(404, 'invalid_request_error', 'model_not_found', `The model '${model}' does not exist or is not available to this key.`, 'model');

export const rateLimited = (limit: number, retryAfterSec: number) =>
  new ApiError(429, 'requests', 'rate_limit_exceeded', `Rate limit reached for this key: ${limit} requests per minute. Retry after ${retryAfterSec}s.`, null, retryAfterSec);

export const tenantQuotaExhausted = (retryAfterSec: number) =>
  new ApiError(429, 'insufficient_quota', 'insufficient_quota', 'This instance has used its monthly token quota.', null, retryAfterSec);

export const keyTokenLimitReached = (retryAfterSec: number) =>
  new ApiError(429, 'insufficient_quota', 'insufficient_quota', 'This key has used its monthly token limit.', null, retryAfterSec);

export const noProviderKey = () =>
  new ApiError(409, 'invalid_request_error', 'no_provider_key', 'This instance has no provider key yet; an admin must add one.');

export const creatorFrozen = () =>
  new ApiError(403, 'permission_error', 'account_frozen', 'The account that created this key is frozen while its erasure is pending.');

export const creatorRestricted = () =>
  new ApiError(403, 'permission_error', 'processing_restricted', 'The account that created this key restricted the processing of its data.');

export const unavailable = (message: string) => new ApiError(503, 'server_error', 'service_unavailable', message);

/** Usage cannot be recorded right now (the gateway sheds load): before the provider is called. */
export const overloaded = (retryAfterSec: number) =>
  new ApiError(503, 'server_error', 'overloaded', `The gateway is shedding load; retry after ${retryAfterSec}s.`, null, retryAfterSec);

/** The answer came, but its usage could not be recorded: it is not complete (sent instead of [DONE]). */
export const usageUnrecorded = (retryAfterSec: number) =>
  new ApiError(503, 'server_error', 'usage_unrecorded', 'The answer could not be accounted for, so it is not complete; retry shortly.', null, retryAfterSec);

export const notFoundRoute = (method: string, path: string) =>
  new ApiError(404, 'invalid_request_error', 'unknown_url', `Unknown request URL: ${method} ${path}.`);

/** Fastify's own refusals before the handler ran (bad JSON, too large, wrong content type). */
export function frameworkError(statusCode: number | undefined): ApiError {
  if (statusCode === 413) return new ApiError(413, 'invalid_request_error', 'request_too_large', 'The request body is too large.');
  if (statusCode === 415) return badRequest('Send the request body as JSON (content-type: application/json).', null, 'unsupported_media_type');
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return badRequest('We could not parse the JSON body of your request.', null, 'invalid_json');
  }
  return new ApiError(500, 'server_error', null, 'The gateway failed to process the request.');
}
