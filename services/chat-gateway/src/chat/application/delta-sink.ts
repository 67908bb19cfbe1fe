import type { RelaySink } from '../../metering/application/ports';
import { CompletionStreamReader, type StreamUsage } from '../../metering/domain/completion-stream';
import type { ChatResponder } from './chat-responder';

/**
 * The member's side of the relay: the provider's streamed answer read as it arrives, each content
 * delta passed straight on as the member's own `delta` event (nothing awaited in between), and
 * what was delivered kept for history and for an estimate when the provider reports no usage.
 * The member's response head goes out with the first delta (see SseChatResponder), so a provider
 * that fails before it still gets a proper HTTP status.
 */
export class DeltaSink implements RelaySink {
  readonly clientGone: AbortSignal;
  private readonly reader = new CompletionStreamReader();
  /** Exactly the text the member was sent. */
  delivered = '';

  constructor(private readonly responder: ChatResponder) {
    this.clientGone = responder.clientGone;
  }

  /** The provider's usage, when its final chunk came. */
  get reported(): StreamUsage | undefined {
    return this.reader.usage;
  }

  head(): void {
    // The member's head goes out with the first delta.
  }

  chunk(bytes: Buffer): Promise<void> | undefined {
    let full: Promise<void> | undefined;
    for (const content of this.reader.push(bytes)) {
      if (this.clientGone.aborted) break;
      this.delivered += content;
      full = this.responder.delta(content) ?? full;
    }
    return full;
  }
}
