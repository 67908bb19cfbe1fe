import type { ServerResponse } from 'node:http';
import type { ChatDone, ChatFailureKind, ChatResponder } from '../application/chat-responder';
import { encodeSseEvent, type ChatStreamEvent } from './sse-encoder';

/** HTTP status for a failure that happens before the first byte of the stream. */
export const FAILURE_STATUS: Record<ChatFailureKind, number> = {
  upstream_timeout: 504,
  upstream_rate_limited: 429,
  upstream_error: 502,
  upstream_stream_broken: 502,
  usage_unrecorded: 503,
  history_unavailable: 503,
};

/**
 * The chat answer as SSE over Fastify's raw response (the reply is hijacked: Fastify's
 * serialization and hooks stay out of the hot path). The response head is written lazily with
 * the first event, so a provider failing before its first chunk still gets a proper HTTP
 * status (502/504/429 with JSON) rather than a 200 with an error event.
 */
export class SseChatResponder implements ChatResponder {
  readonly clientGone: AbortSignal;
  private headSent = false;

  constructor(private readonly raw: ServerResponse) {
    const gone = new AbortController();
    this.clientGone = gone.signal;
    raw.on('close', () => {
      if (!raw.writableFinished) gone.abort();
    });
  }

  delta(content: string): Promise<void> | undefined {
    if (this.write('delta', { content })) return undefined;
    return new Promise((resolve) => {
      const done = () => {
        this.raw.off('drain', done);
        this.clientGone.removeEventListener('abort', done);
        resolve();
      };
      this.raw.on('drain', done);
      this.clientGone.addEventListener('abort', done, { once: true });
    });
  }

  finish(done: ChatDone): void {
    this.write('done', { messageId: done.messageId, usage: done.usage });
  }

  fail(failure: { kind: ChatFailureKind; message: string; retryAfterSec?: number }): void {
    if (this.isGone()) return;
    if (this.headSent) {
      this.write('error', { error: failure.kind, message: failure.message });
      return;
    }
    const body = JSON.stringify({ error: failure.kind, message: failure.message });
    this.raw.writeHead(FAILURE_STATUS[failure.kind], {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      ...(failure.retryAfterSec !== undefined && { 'retry-after': String(failure.retryAfterSec) }),
    });
    this.headSent = true;
    this.raw.end(body);
  }

  end(): void {
    if (this.isGone() || this.raw.writableEnded) return;
    if (!this.headSent) this.writeHead();
    this.raw.end();
  }

  private write(event: ChatStreamEvent, data: unknown): boolean {
    if (this.isGone() || this.raw.writableEnded) return true;
    if (!this.headSent) this.writeHead();
    return this.raw.write(encodeSseEvent(event, data));
  }

  private writeHead(): void {
    this.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx ingress: pass each event through unbuffered
    });
    this.headSent = true;
  }

  private isGone(): boolean {
    return this.clientGone.aborted || this.raw.destroyed;
  }
}
