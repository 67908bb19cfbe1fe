// The port to an LLM provider speaking the OpenAI chat-completions wire format.

export interface UpstreamMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface UpstreamRequest {
  model: string;
  messages: UpstreamMessage[];
}

export type UpstreamEvent =
  | { kind: 'delta'; content: string }
  | { kind: 'usage'; promptTokens: number; completionTokens: number };

/** Client-facing failure codes (the `error` of the SSE error event / JSON body). */
export type UpstreamFailureKind = 'upstream_timeout' | 'upstream_rate_limited' | 'upstream_error' | 'upstream_stream_broken';

/**
 * A provider failure, classified. `aborted` = our own AbortSignal fired (client gone or our
 * timeout): the caller knows which. Messages are ours, never the provider's (those can echo
 * parts of the key).
 */
export class UpstreamFailure extends Error {
  override readonly name = 'UpstreamFailure';
  constructor(
    readonly kind: UpstreamFailureKind | 'aborted',
    message: string,
    /** The provider refused the credential (401/403): drop it from the cache. */
    readonly credentialRejected = false,
  ) {
    super(message);
  }
}

export interface ProviderClient {
  /**
   * Starts a streamed completion. Resolves once the provider answered with a success status
   * (rejects with UpstreamFailure otherwise); iterating yields deltas and, at the end, usage.
   * Iteration throws UpstreamFailure if the stream breaks; it ends quietly when `signal` aborts.
   */
  open(request: UpstreamRequest, signal: AbortSignal): Promise<AsyncIterable<UpstreamEvent>>;
}
