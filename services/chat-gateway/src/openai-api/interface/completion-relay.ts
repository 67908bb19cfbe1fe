import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from '../domain/api-errors';
import { mapUpstreamStatus, sseErrorEvent, upstreamFailure } from '../domain/upstream-errors';
import { heldEnding } from '../domain/held-ending';
import { ResponseRecorder } from '../domain/response-usage';
import type { RawUpstream } from '../infrastructure/raw-upstream';
import { sendApiError } from './api-responses';

export interface RelayResult {
  /** The provider accepted the request (2xx head), whatever happened after. */
  providerAnswered: boolean;
  outcome: 'ok' | 'upstream_error' | 'client_aborted';
  /** What came back, for usage (only when the provider answered). */
  recorder: ResponseRecorder;
  credentialRejected: boolean;
  /**
   * Set once the provider's answer ended (whole, or broken off after its head): its last bytes
   * (the final `data: [DONE]`, the end of the JSON body, or the error that says it broke off) are
   * held back. release() once usage is durable; refuse() otherwise (an SSE error event instead of
   * [DONE], or a cut connection for JSON).
   */
  ending: { release(): void; refuse(error: ApiError): void } | undefined;
}

const MAX_ERROR_BODY = 64 * 1024;

/**
 * Sends the request to the provider and relays its answer to the client byte for byte, chunk
 * by chunk as it arrives (SSE or JSON), with nothing awaited in between, except its last bytes:
 * those wait for the caller (see RelayResult.ending), so the client never sees an answer complete
 * before its usage is recorded. Usage is read from the kept chunks after the end
 * (ResponseRecorder). Backpressure: a slow client pauses the provider
 * stream (and its idle timer). One timer covers silence from the provider (head or between
 * chunks); a client that goes away aborts the provider request. Failures before the head get an
 * OpenAI-style error status; after it, an SSE error event (streaming) or a cut connection.
 */
export function relayCompletion(upstream: RawUpstream, body: Buffer, stream: boolean, res: ServerResponse, timeoutMs: number, requestId: string): Promise<RelayResult> {
  const recorder = new ResponseRecorder(stream);
  const held = heldEnding(stream);
  return new Promise((resolve) => {
    let settled = false;
    let headReceived = false;
    let clientGone = res.destroyed;
    let timedOut = false;
    const finish = (providerAnswered: boolean, outcome: RelayResult['outcome'], credentialRejected = false, ending?: RelayResult['ending']) => {
      if (settled) return;
      settled = true;
      res.off('close', onClientClose);
      resolve({ providerAnswered, outcome: clientGone ? 'client_aborted' : outcome, recorder, credentialRejected, ending: clientGone ? undefined : ending });
    };
    if (clientGone) return finish(false, 'client_aborted');

    const request = upstream.post('/chat/completions', body, stream);
    request.setTimeout(timeoutMs);
    request.on('timeout', () => {
      timedOut = true;
      request.destroy(new Error('provider timeout'));
    });
    const onClientClose = () => {
      if (res.writableFinished) return;
      clientGone = true;
      request.destroy();
    };
    res.on('close', onClientClose);

    request.on('error', () => {
      if (headReceived) return; // the response's close handler decides
      if (!clientGone) sendApiError(res, upstreamFailure(timedOut ? 'upstream_timeout' : 'upstream_error'));
      finish(false, 'upstream_error');
    });

    request.on('response', (answer: IncomingMessage) => {
      headReceived = true;
      answer.on('error', () => undefined); // reported through 'close' without 'complete'
      const status = answer.statusCode ?? 502;
      if (status < 200 || status >= 300) return relayFailure(answer, status);

      const headers: Record<string, string> = { 'cache-control': 'no-cache', 'x-request-id': requestId };
      const type = answer.headers['content-type'];
      headers['content-type'] = type ?? (stream ? 'text/event-stream; charset=utf-8' : 'application/json');
      if (stream) headers['x-accel-buffering'] = 'no';
      else if (answer.headers['content-length']) headers['content-length'] = answer.headers['content-length'];
      res.writeHead(200, headers);

      answer.on('data', (chunk: Buffer) => {
        recorder.push(chunk);
        const now = held.pass(chunk);
        if (now.length === 0 || res.write(now)) return;
        answer.pause();
        request.setTimeout(0); // a slow reader is not a silent provider
        res.once('drain', () => {
          request.setTimeout(timeoutMs);
          answer.resume();
        });
      });
      // The head went out with the first byte: after it, only an SSE error event (streaming) or a
      // cut connection (JSON) can tell the client the answer is not complete.
      const cut = (error: ApiError) => (stream ? res.end(sseErrorEvent(error)) : res.destroy());
      answer.on('end', () => {
        finish(true, 'ok', false, { release: () => res.end(held.rest()), refuse: cut });
      });
      answer.on('close', () => {
        if (answer.complete || settled) return;
        const broken = upstreamFailure(timedOut ? 'upstream_timeout' : 'upstream_stream_broken');
        finish(true, 'upstream_error', false, { release: () => cut(broken), refuse: () => cut(broken) });
      });
    });

    function relayFailure(answer: IncomingMessage, status: number): void {
      let text = '';
      answer.setEncoding('utf8');
      answer.on('data', (part: string) => {
        if (text.length < MAX_ERROR_BODY) text += part;
      });
      answer.on('close', () => {
        const mapped = mapUpstreamStatus(status, text);
        if (!clientGone) sendApiError(res, mapped.error);
        finish(false, 'upstream_error', mapped.credentialRejected);
      });
    }
  });
}
