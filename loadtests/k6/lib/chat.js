// One chat exchange through the gateway, WITH streaming (a member's conversation: SSE POST
// /v1/conversations/:id/messages) or WITHOUT (the OpenAI-compatible POST /v1/chat/completions,
// stream:false, with a tenant virtual key). Checks are on business results, not just status.
import http from 'k6/http';
import { check } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';
import { DATA, seatOf } from './data.js';

export const chatDuration = new Trend('chat_duration', true);
export const chatTtfb = new Trend('chat_ttfb', true);
export const chatOk = new Rate('chat_ok');
export const chats = new Counter('chats');
/** Answers the gateway acknowledged in full (200 and a done event / a JSON completion): the runner waits until billing and audit hold as many. */
export const answered = new Counter('chats_answered');

/** What the fake upstream answers for a user message (loadtests/fake-upstream/reply.js). */
export function expectedEcho(content) {
  const words = content.split(/\s+/).filter(Boolean);
  return `Echo (${words.length} words): ${words.join(' ')}`;
}

/** Parses a text/event-stream body into [{event, data}] (data JSON-decoded when it is JSON). */
export function parseSse(body) {
  const events = [];
  for (const block of String(body || '').split(/\n\n/)) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trim());
    }
    if (data.length === 0) continue;
    let parsed = data.join('\n');
    try {
      parsed = JSON.parse(parsed);
    } catch (_) {
      /* plain text data */
    }
    events.push({ event, data: parsed });
  }
  return events;
}

function messageText() {
  return `load ${__VU} ${__ITER} alpha beta gamma delta`;
}

function record(res, ok) {
  chats.add(1);
  chatOk.add(ok);
  chatDuration.add(res.timings.duration);
  chatTtfb.add(res.timings.waiting);
}

export function chatStreamed() {
  const seat = seatOf(__VU);
  const content = messageText();
  const res = http.post(
    `${DATA.gatewayUrl}/v1/conversations/${seat.conversationId}/messages`,
    JSON.stringify({ content }),
    {
      headers: { authorization: `Bearer ${seat.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      tags: { name: 'POST /v1/conversations/:id/messages (SSE)' },
      timeout: '30s',
    },
  );
  const events = res.status === 200 ? parseSse(res.body) : [];
  const deltas = events.filter((e) => e.event === 'delta');
  const done = events.find((e) => e.event === 'done');
  if (res.status === 200 && done) answered.add(1);
  const ok = check(res, {
    'stream: 200 text/event-stream': (r) => r.status === 200 && String(r.headers['Content-Type'] || '').startsWith('text/event-stream'),
    'stream: several deltas': () => deltas.length > 1,
    'stream: deltas are the echoed answer': () => deltas.map((d) => d.data.content).join('') === expectedEcho(content),
    'stream: done event with usage': () =>
      !!done && !!done.data.usage && done.data.usage.promptTokens > 0 && done.data.usage.completionTokens > 0,
    'stream: no error event': () => !events.some((e) => e.event === 'error'),
  });
  record(res, ok);
}

export function chatJson() {
  const content = messageText();
  const res = http.post(
    `${DATA.gatewayUrl}/v1/chat/completions`,
    JSON.stringify({ model: 'gpt-4o-mini', stream: false, messages: [{ role: 'user', content }] }),
    {
      headers: { authorization: `Bearer ${DATA.virtualKey}`, 'content-type': 'application/json' },
      tags: { name: 'POST gateway /v1/chat/completions (JSON)' },
      timeout: '30s',
    },
  );
  let body;
  try {
    body = res.json();
  } catch (_) {
    body = undefined;
  }
  if (res.status === 200 && body && body.choices) answered.add(1);
  const ok = check(res, {
    'json: 200': (r) => r.status === 200,
    'json: echoed content': () => !!body && body.choices && body.choices[0].message.content === expectedEcho(content),
    'json: usage': () => !!body && body.usage && body.usage.total_tokens > 0,
  });
  record(res, ok);
}
