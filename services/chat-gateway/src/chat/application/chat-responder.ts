import type { ProviderFailureKind } from '../../metering/domain/provider-failure';

/** Why a chat ended without done: the provider's failure, or usage or history that could not be stored. */
export type ChatFailureKind = ProviderFailureKind | 'usage_unrecorded' | 'history_unavailable';

export interface ChatDone {
  messageId: string;
  usage: { promptTokens: number; completionTokens: number };
}

/**
 * The member's response as the chat use case sees it. The SSE implementation decides how a
 * failure looks: an HTTP status if nothing was sent yet, an `error` event otherwise.
 */
export interface ChatResponder {
  /** Aborts when the client disconnects. */
  readonly clientGone: AbortSignal;
  /** Sends one piece of the answer; a promise when the client is full (resolves once it can take more). */
  delta(content: string): Promise<void> | undefined;
  finish(done: ChatDone): void;
  fail(failure: { kind: ChatFailureKind; message: string; retryAfterSec?: number }): void;
  /** Ends the response (after history was written, see SendMessage). */
  end(): void;
}
