import type { UpstreamFailureKind } from './provider-client';
import type { DeltaSink } from './relay-completion';

/** Why a chat ended without done: the provider's failure, or usage that could not be recorded. */
export type ChatFailureKind = UpstreamFailureKind | 'usage_unrecorded';

export interface ChatDone {
  messageId: string;
  usage: { promptTokens: number; completionTokens: number };
}

/**
 * The member's response as the chat use case sees it. The SSE implementation decides how a
 * failure looks: an HTTP status if nothing was sent yet, an `error` event otherwise.
 */
export interface ChatResponder extends DeltaSink {
  finish(done: ChatDone): void;
  fail(failure: { kind: ChatFailureKind; message: string; retryAfterSec?: number }): void;
  /** Ends the response (after history was written, see SendMessage). */
  end(): void;
}
