import type { UpstreamFailureKind } from './provider-client';
import type { DeltaSink } from './relay-completion';

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
  fail(failure: { kind: UpstreamFailureKind; message: string }): void;
  /** Ends the response (after history was written, see SendMessage). */
  end(): void;
}
