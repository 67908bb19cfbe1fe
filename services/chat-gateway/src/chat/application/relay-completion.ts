import { UpstreamFailure, type ProviderClient, type UpstreamRequest } from './provider-client';

/** Where the answer goes (the member's SSE response). */
export interface DeltaSink {
  /** Aborts when the client disconnects. */
  readonly clientGone: AbortSignal;
  /** Sends one piece of the answer; resolves when the client can take more (backpressure). */
  delta(content: string): Promise<void>;
}

export interface RelayResult {
  /** Exactly the text the client was sent. */
  deliveredText: string;
  /** The provider accepted the request (success status), whatever happened after. */
  providerAnswered: boolean;
  /** Usage from the provider's final chunk, if it came. */
  reported: { promptTokens: number; completionTokens: number } | undefined;
  outcome: 'ok' | 'client_aborted' | 'failed';
  failure: UpstreamFailure | undefined;
}

/**
 * Pipes the provider's stream to the sink, chunk by chunk, with nothing in between: no
 * database or network call sits between an upstream byte and the client.
 *
 * One AbortController covers the upstream request. It fires when the client goes away (so we
 * stop paying for tokens nobody reads) or when the provider is silent for `idleTimeoutMs`
 * (waiting for the response head or for the next chunk). The SDK ends a stream quietly on
 * abort, so the reason is tracked here.
 */
export async function relayCompletion(
  client: ProviderClient,
  request: UpstreamRequest,
  sink: DeltaSink,
  idleTimeoutMs: number,
): Promise<RelayResult> {
  const controller = new AbortController();
  let timedOut = false;
  let waitingOnClient = false;
  const watchdog = setTimeout(function onIdle() {
    if (waitingOnClient) {
      watchdog.refresh(); // a slow reader is not a silent provider
      return;
    }
    timedOut = true;
    controller.abort();
  }, idleTimeoutMs);
  const onClientGone = () => controller.abort();
  sink.clientGone.addEventListener('abort', onClientGone, { once: true });
  if (sink.clientGone.aborted) controller.abort();

  let providerAnswered = false;
  let deliveredText = '';
  let reported: RelayResult['reported'];
  let failure: UpstreamFailure | undefined;
  try {
    const stream = await client.open(request, controller.signal);
    providerAnswered = true;
    for await (const event of stream) {
      watchdog.refresh();
      if (event.kind === 'usage') {
        reported = { promptTokens: event.promptTokens, completionTokens: event.completionTokens };
        continue;
      }
      if (sink.clientGone.aborted) break;
      deliveredText += event.content;
      waitingOnClient = true;
      await sink.delta(event.content);
      waitingOnClient = false;
    }
  } catch (error) {
    failure = error instanceof UpstreamFailure ? error : new UpstreamFailure('upstream_error', 'the provider request failed');
  } finally {
    clearTimeout(watchdog);
    sink.clientGone.removeEventListener('abort', onClientGone);
  }

  if (sink.clientGone.aborted) return { providerAnswered, deliveredText, reported, outcome: 'client_aborted', failure: undefined };
  if (timedOut) {
    const failureText = deliveredText === '' ? 'the provider did not answer in time' : 'the provider stopped sending before the answer was complete';
    return { providerAnswered, deliveredText, reported, outcome: 'failed', failure: new UpstreamFailure('upstream_timeout', failureText) };
  }
  if (failure) {
    // An abort we did not cause cannot happen; treat it as a failure rather than success.
    if (failure.kind === 'aborted') failure = new UpstreamFailure('upstream_error', 'the provider request was interrupted');
    return { providerAnswered, deliveredText, reported, outcome: 'failed', failure };
  }
  return { providerAnswered, deliveredText, reported, outcome: 'ok', failure: undefined };
}
