// Small HTTP helpers for end-to-end tests: JSON calls with a bearer session, and SSE reading.
export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(
  method: string,
  url: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body, headers: res.headers };
}

export interface SseEvent {
  event: string;
  data: any;
}

/** POSTs and reads a text/event-stream to its end; returns every event in order. */
export async function postSse(url: string, token: string, body: unknown): Promise<{ status: number; events: SseEvent[]; raw: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  const events: SseEvent[] = [];
  for (const block of raw.split(/\n\n/)) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trim());
    }
    if (data.length === 0) continue;
    const joined = data.join('\n');
    let parsed: any = joined;
    try {
      parsed = JSON.parse(joined);
    } catch {
      /* plain data */
    }
    events.push({ event, data: parsed });
  }
  return { status: res.status, events, raw };
}
