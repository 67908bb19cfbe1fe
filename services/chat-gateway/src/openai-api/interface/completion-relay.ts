import type { IncomingMessage, ServerResponse } from 'node:http';
import { mapUpstreamStatus, sseErrorEvent, upstreamFailure } from '../domain/upstream-errors';
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
}

const MAX_ERROR_BODY = 64 * 1024;

/**
 * Sends the request to the provider and relays its answer to the client byte for byte, chunk
 * by chunk as it arrives (SSE or JSON), with nothing awaited in between; usage is read from the
 * kept chunks after the end (ResponseRecorder). Backpressure: a slow client pauses the provider
 * stream (and its idle timer). One timer covers silence from the provider (head or between
 * chunks); a client that goes away aborts the provider request. Failures before the head get an
 * OpenAI-style error status; after it, an SSE error event (streaming) or a cut connection.
 */
export function relayCompletion(upstream: RawUpstream, body: Buffer, stream: boolean, res: ServerResponse, timeoutMs: number, requestId: string): Promise<RelayResult> {
  const recorder = new ResponseRecorder(stream);
  return new Promise((resolve) => {
    let settled = false;
    let headReceived = false;
    let clientGone = res.destroyed;
    let timedOut = false;
    const finish = (providerAnswered: boolean, outcome: RelayResult['outcome'], credentialRejected = false) => {
      if (settled) return;
      settled = true;
      res.off('close', onClientClose);
      resolve({ providerAnswered, outcome: clientGone ? 'client_aborted' : outcome, recorder, credentialRejected });
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
        if (res.write(chunk)) return;
        answer.pause();
        request.setTimeout(0); // a slow reader is not a silent provider
        res.once('drain', () => {
          request.setTimeout(timeoutMs);
          answer.resume();
        });
      });
      answer.on('end', () => {
        res.end();
        finish(true, 'ok');
      });
      answer.on('close', () => {
        if (answer.complete || settled) return;
        if (!clientGone) {
          if (stream) res.end(sseErrorEvent(upstreamFailure(timedOut ? 'upstream_timeout' : 'upstream_stream_broken')));
          else res.destroy(); // a JSON body cut short: the client sees the connection fail
        }
        finish(true, 'upstream_error');
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
