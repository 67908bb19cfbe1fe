import type { ServerResponse } from 'node:http';
import type { RelaySink } from '../../metering/application/ports';
import type { ApiError } from '../domain/api-errors';
import { heldEnding } from '../domain/held-ending';
import { ResponseRecorder } from '../domain/response-usage';
import { sseErrorEvent } from '../domain/upstream-errors';

/**
 * The API's side of the relay: the provider's answer to the client byte for byte, as it arrives
 * (SSE or JSON), under the gateway's own head; chunks are only kept (ResponseRecorder) to read the
 * usage once the answer ended. Its last bytes are held back (the final `data: [DONE]`, or the end
 * of the JSON body) until release(): the client never sees an answer complete before its usage
 * is recorded. cut() ends it as failed instead: an SSE error event (streaming), or a cut
 * connection (JSON: the head went out with the first byte).
 */
export class PassthroughSink implements RelaySink {
  readonly clientGone: AbortSignal;
  readonly recorder: ResponseRecorder;
  private readonly held;
  private headSent = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly stream: boolean,
    private readonly requestId: string,
  ) {
    this.recorder = new ResponseRecorder(stream);
    this.held = heldEnding(stream);
    const gone = new AbortController();
    this.clientGone = gone.signal;
    if (res.destroyed) gone.abort();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
  }

  /** Whether the client was sent the answer's head (so a failure can no longer be a status). */
  get answering(): boolean {
    return this.headSent;
  }

  head(answer: { contentType: string | undefined; contentLength: string | undefined }): void {
    const headers: Record<string, string> = { 'cache-control': 'no-cache', 'x-request-id': this.requestId };
    headers['content-type'] = answer.contentType ?? (this.stream ? 'text/event-stream; charset=utf-8' : 'application/json');
    if (this.stream) headers['x-accel-buffering'] = 'no';
    else if (answer.contentLength) headers['content-length'] = answer.contentLength;
    this.res.writeHead(200, headers);
    this.headSent = true;
  }

  chunk(bytes: Buffer): Promise<void> | undefined {
    this.recorder.push(bytes);
    const now = this.held.pass(bytes);
    if (now.length === 0 || this.res.write(now)) return undefined;
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.clientGone.removeEventListener('abort', done);
        resolve();
      };
      this.res.on('drain', done);
      this.clientGone.addEventListener('abort', done, { once: true });
    });
  }

  /** The held-back ending: the answer is complete. */
  release(): void {
    this.res.end(this.held.rest());
  }

  /** The answer is not complete (it broke off, or its usage is not recorded). */
  cut(error: ApiError): void {
    if (this.stream) this.res.end(sseErrorEvent(error));
    else this.res.destroy();
  }
}
