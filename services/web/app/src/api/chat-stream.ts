import { createParser } from 'eventsource-parser';
import { apiErrorOf, ApiError, CSRF_HEADERS, fetchWithSession } from './http';

export interface StreamHandlers {
  onDelta(text: string): void;
}

/**
 * Sends one message and follows the answer's server-sent events (delta… then done or error).
 * Resolves when the answer is complete; rejects with ApiError (a refusal, or an error event)
 * or with the AbortError of `signal` when the person stops the generation.
 */
export async function streamAnswer(
  conversationId: string,
  body: { content: string; model?: string },
  handlers: StreamHandlers,
  signal: AbortSignal,
): Promise<void> {
  const res = await fetchWithSession(`/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
    method: 'POST',
    headers: { ...CSRF_HEADERS, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok || !res.body) throw await apiErrorOf(res);
  let failure: ApiError | undefined;
  let done = false;
  const parser = createParser({
    onEvent(event) {
      const data = JSON.parse(event.data) as { content?: string; error?: string; message?: string };
      if (event.event === 'delta' && typeof data.content === 'string') handlers.onDelta(data.content);
      else if (event.event === 'done') done = true;
      else if (event.event === 'error') failure = new ApiError(502, data.error ?? 'upstream_error', data.message ?? '');
    },
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    parser.feed(value);
  }
  if (failure) throw failure;
  if (!done) throw new ApiError(502, 'upstream_stream_broken', 'the answer stopped before it was complete');
}
