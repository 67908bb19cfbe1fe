// A provider failure, classified once for both front doors (each renders it its own way: the
// member's {error, message} and SSE error event, the API's OpenAI error object). The provider's
// own message is kept only for request errors (400/404/422: they are about the request, and they
// help), with anything key-shaped redacted; auth failures never carry it, as the provider's can
// echo parts of the tenant's key.

export type ProviderFailureKind = 'upstream_timeout' | 'upstream_rate_limited' | 'upstream_error' | 'upstream_stream_broken';

export interface ProviderFailure {
  kind: ProviderFailureKind;
  /** The provider's error status, when it answered with one (before any byte of an answer). */
  status: number | undefined;
  /** The provider refused the tenant's key (401/403): drop the cached credential. */
  credentialRejected: boolean;
  /** The provider's message for a request error (400/404/422), redacted; undefined otherwise. */
  providerMessage: string | undefined;
}

const KEY_LIKE = /\b(?:sk|ek|xai|pk|rk)-[A-Za-z0-9_*.-]{6,}|\bBearer\s+\S+/gi;
const MAX_MESSAGE = 500;

const failure = (kind: ProviderFailureKind, status?: number, extra: Partial<ProviderFailure> = {}): ProviderFailure => ({
  kind, status, credentialRejected: false, providerMessage: undefined, ...extra,
});

/** A non-2xx answer, before any byte went to the client. */
export function failureOfStatus(status: number, body: string): ProviderFailure {
  if (status === 401 || status === 403) return failure('upstream_error', status, { credentialRejected: true });
  if (status === 429) return failure('upstream_rate_limited', status);
  if (status === 408 || status === 504) return failure('upstream_timeout', status);
  if (status === 400 || status === 404 || status === 422) return failure('upstream_error', status, { providerMessage: safeProviderMessage(body) });
  return failure('upstream_error', status);
}

/** No answer head: the provider could not be reached, or was silent for too long. */
export function failureBeforeAnswer(timedOut: boolean): ProviderFailure {
  return failure(timedOut ? 'upstream_timeout' : 'upstream_error');
}

/** The answer started, then stopped: silent for too long, or cut off. */
export function failureMidAnswer(timedOut: boolean): ProviderFailure {
  return failure(timedOut ? 'upstream_timeout' : 'upstream_stream_broken');
}

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
