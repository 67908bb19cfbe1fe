// Server-sent events framing for the chat stream: `event: <name>\ndata: <json>\n\n`.
// JSON.stringify escapes CR and LF inside strings, so the data is always one line and no
// content can inject a field or end the event early.

export type ChatStreamEvent = 'delta' | 'done' | 'error';

const EVENT_NAME = /^[a-z][a-z_]*$/;

export function encodeSseEvent(event: ChatStreamEvent, data: unknown): string {
  if (!EVENT_NAME.test(event)) throw new TypeError('invalid SSE event name');
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export interface ParsedSseEvent {
  event: string;
  data: string;
}

/** Splits an SSE body into events (for tests and the benchmark client). */
export function parseSseEvents(body: string): ParsedSseEvent[] {
  const events: ParsedSseEvent[] = [];
  for (const block of body.split(/\r?\n\r?\n/)) {
    if (block.trim() === '') continue;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    events.push({ event, data: data.join('\n') });
  }
  return events;
}
