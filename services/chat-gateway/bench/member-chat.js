'use strict';
// A member's chat with history, timed to the first delta: fills one conversation with stored
// messages through the gateway's public API, then alternates a streamed chat through the gateway
// (POST /v1/conversations/:id/messages, SSE) with the same request sent straight to the provider
// (the fake upstream), timing each from the request written to its first content chunk.
const http = require('node:http');
const path = require('node:path');
const { root } = require('./bench-support');

const { replyText } = require(path.join(root, 'loadtests/fake-upstream/reply.js'));
/** chat-gateway's CONTEXT_MESSAGES default: earlier messages sent upstream as context. */
const CONTEXT_MESSAGES = 20;

/**
 * One streamed POST: ms until the accumulated body first contains `marker`, ms until its end,
 * the status and whether it ended with `endMarker`. Gives up after 30 s.
 */
function streamOnce(agent, url, headers, body, marker, endMarker) {
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    const started = performance.now();
    let firstMs;
    let text = '';
    const req = http.request({
      hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { ...headers, accept: 'text/event-stream', 'content-type': 'application/json', 'content-length': payload.length },
    }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (part) => {
        if (text.length < 1_000_000) text += part;
        if (firstMs === undefined && text.includes(marker)) firstMs = performance.now() - started;
      });
      res.on('end', () => resolve({ status: res.statusCode, firstMs, totalMs: performance.now() - started, complete: res.statusCode === 200 && text.includes(endMarker) }));
      res.on('error', () => resolve({ status: res.statusCode, firstMs, complete: false }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, error: error.message, complete: false }));
    req.end(payload);
  });
}

function memberChat({ gatewayUrl, upstreamUrl, token, conversationId, model = 'gpt-4o-mini' }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const history = []; // {role, content} as the conversation stores it, oldest first
  const viaGateway = async (content) => {
    const r = await streamOnce(agent, `${gatewayUrl}/v1/conversations/${conversationId}/messages`, { authorization: `Bearer ${token}` }, { content }, 'event: delta', 'event: done');
    if (r.complete) history.push({ role: 'user', content }, { role: 'assistant', content: replyText([{ role: 'user', content }]) });
    return r;
  };
  // What the gateway sends upstream for this message: the recent context and the new message.
  const direct = (content) => {
    const messages = [...history.slice(-CONTEXT_MESSAGES), { role: 'user', content }];
    return streamOnce(agent, `${upstreamUrl}/chat/completions`, { authorization: 'Bearer sk-bench-direct' },
      { model, stream: true, stream_options: { include_usage: true }, messages }, '"content":"E', 'data: [DONE]');
  };
  const storedCount = async () => {
    const res = await fetch(`${gatewayUrl}/v1/conversations/${conversationId}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) });
    if (res.status !== 200) throw new Error(`GET /v1/conversations/:id answered ${res.status}`);
    return (await res.json()).messages.length;
  };
  return {
    history,
    /**
     * Sends chats until the conversation holds `messages` stored messages (GET
     * /v1/conversations/:id counts them), retrying failed ones (twice the chats needed at most).
     * Returns the chats answered in full, the failed ones and the stored count reached.
     */
    async fill(messages) {
      let completed = 0;
      let failed = 0;
      let firstError;
      let stored = await storedCount();
      let estimate = stored;
      const budget = 2 * Math.ceil(messages / 2) + 10;
      for (let i = 0; i < budget && stored < messages; i += 1) {
        const r = await viaGateway(`history message ${i + 1} with a few words of context`);
        if (r.complete) {
          completed += 1;
          estimate += 2;
        } else {
          failed += 1;
          firstError ??= `${r.status}${r.error ? ` ${r.error}` : ''}`;
        }
        if (!r.complete || estimate >= messages || (i + 1) % 20 === 0) {
          stored = await storedCount().catch(() => stored);
          estimate = stored;
        }
      }
      return { completed, failed, firstError, stored };
    },
    /** `samples` pairs, alternating gateway and direct; first-delta ms of each and completed gateway chats. */
    async firstDeltas(samples) {
      const gateway = [];
      const provider = [];
      let completed = 0;
      let errors = 0;
      for (let i = 0; i < samples; i += 1) {
        const content = `first delta sample ${i + 1} please answer`;
        const d = await direct(content);
        const g = await viaGateway(content);
        if (g.complete) completed += 1;
        if (g.complete && g.firstMs !== undefined) gateway.push(g.firstMs);
        else errors += 1;
        if (d.complete && d.firstMs !== undefined) provider.push(d.firstMs);
        else errors += 1;
      }
      return { gateway, provider, completed, errors };
    },
    close: () => agent.destroy(),
  };
}

/** The p-th percentile of a list of numbers (nearest rank); NaN when empty. */
function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

module.exports = { memberChat, percentile, CONTEXT_MESSAGES };
