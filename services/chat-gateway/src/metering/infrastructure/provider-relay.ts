import type { ClientRequest, IncomingMessage } from 'node:http';
import type { RelayOutcome, RelaySink } from '../application/ports';
import { failureBeforeAnswer, failureMidAnswer, failureOfStatus, type ProviderFailure } from '../domain/provider-failure';

const MAX_ERROR_BODY = 64 * 1024;

/**
 * The one relay of both front doors: sends the request to the provider and hands its answer to
 * the sink chunk by chunk as it arrives, with nothing awaited in between (the sink decides what
 * the client sees: the member's re-framed deltas, or the API's bytes unchanged). Backpressure: a
 * sink that returns a promise pauses the provider stream (and its silence timer) until it
 * resolves. One timer covers silence from the provider (before its head or between chunks); a
 * client that goes away aborts the provider request. Never rejects: failures are classified
 * (ProviderFailure) for the front door to render.
 */
export function relayCompletion(
  upstream: { post(path: string, body: Buffer, stream: boolean): ClientRequest },
  body: Buffer,
  stream: boolean,
  sink: RelaySink,
  timeoutMs: number,
): Promise<RelayOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let headReceived = false;
    let timedOut = false;
    const finish = (providerAnswered: boolean, failure?: ProviderFailure) => {
      if (settled) return;
      settled = true;
      sink.clientGone.removeEventListener('abort', onClientGone);
      if (sink.clientGone.aborted) return resolve({ providerAnswered, outcome: 'client_aborted', failure: undefined });
      resolve({ providerAnswered, outcome: failure ? 'upstream_error' : 'ok', failure });
    };
    const onClientGone = () => request.destroy();
    if (sink.clientGone.aborted) return finish(false);

    let request: ClientRequest;
    try {
      request = upstream.post('/chat/completions', body, stream);
    } catch {
      return finish(false, failureBeforeAnswer(false)); // e.g. a base URL node:http refuses
    }
    sink.clientGone.addEventListener('abort', onClientGone, { once: true });
    request.setTimeout(timeoutMs);
    request.on('timeout', () => {
      timedOut = true;
      request.destroy(new Error('provider timeout'));
    });
    request.on('error', () => {
      if (!headReceived) finish(false, failureBeforeAnswer(timedOut)); // after the head, 'close' decides
    });

    request.on('response', (answer: IncomingMessage) => {
      headReceived = true;
      answer.on('error', () => undefined); // reported through 'close' without 'complete'
      const status = answer.statusCode ?? 502;
      if (status < 200 || status >= 300) return readFailure(answer, status);
      sink.head({ contentType: answer.headers['content-type'], contentLength: answer.headers['content-length'] });
      answer.on('data', (chunk: Buffer) => {
        const full = sink.chunk(chunk);
        if (!full) return;
        answer.pause();
        request.setTimeout(0); // a slow reader is not a silent provider
        void full.then(() => {
          request.setTimeout(timeoutMs);
          answer.resume();
        });
      });
      answer.on('end', () => finish(true));
      answer.on('close', () => {
        if (!answer.complete) finish(true, failureMidAnswer(timedOut));
      });
    });

    function readFailure(answer: IncomingMessage, status: number): void {
      let text = '';
      answer.setEncoding('utf8');
      answer.on('data', (part: string) => {
        if (text.length < MAX_ERROR_BODY) text += part;
      });
      answer.on('close', () => finish(false, failureOfStatus(status, text)));
    }
  });
}
