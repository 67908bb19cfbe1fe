// Reads a streamed chat answer (text/event-stream) incrementally, so a test can act while the
// stream is open (e.g. after the first delta) and then check how it ended.
import type { SseEvent } from '../http';

export interface SseResult {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** How the body ended: 'complete' (the server ended it), or the read error's message. */
  ending: 'complete' | string;
}

export interface OpenStream {
  /** Events received so far. */
  readonly events: SseEvent[];
  /** Resolves with the first event of that name (rejects if the stream ends without one). */
  first(event: string): Promise<SseEvent>;
  readonly result: Promise<SseResult>;
}

function parseBlock(block: string): SseEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trim());
  }
  if (data.length === 0) return undefined;
  const joined = data.join('\n');
  try {
    return { event, data: JSON.parse(joined) };
  } catch {
    return { event, data: joined };
  }
}

/** POSTs JSON and follows the SSE answer as it arrives. */
export function openSseStream(url: string, opts: { token: string; body: unknown; headers?: Record<string, string> }): OpenStream {
  const events: SseEvent[] = [];
  const waiters: Array<{ event: string; resolve: (e: SseEvent) => void; reject: (e: Error) => void }> = [];
  const emit = (e: SseEvent) => {
    events.push(e);
    for (const w of waiters.filter((x) => x.event === e.event)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e);
    }
  };

  const result = (async (): Promise<SseResult> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${opts.token}`,
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...opts.headers,
      },
      body: JSON.stringify(opts.body),
    });
    let ending = 'complete';
    let buffer = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body ?? []) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const parsed = parseBlock(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (parsed) emit(parsed);
        }
      }
      const tail = parseBlock(buffer);
      if (tail) emit(tail);
    } catch (error) {
      ending = (error as Error).message || String(error);
    }
    return { status: res.status, headers: res.headers, events, ending };
  })();

  let ended: Error | undefined;
  void result.then(
    () => {
      ended = new Error('the stream ended without that event');
      waiters.splice(0).forEach((w) => w.reject(new Error(`the stream ended without a '${w.event}' event`)));
    },
    (error: Error) => {
      ended = error;
      waiters.splice(0).forEach((w) => w.reject(error));
    },
  );

  return {
    events,
    first(event: string) {
      const seen = events.find((e) => e.event === event);
      if (seen) return Promise.resolve(seen);
      if (ended) return Promise.reject(new Error(`'${event}': ${ended.message}`));
      return new Promise<SseEvent>((resolve, reject) => waiters.push({ event, resolve, reject }));
    },
    result,
  };
}
