// Does a chat stream the provider's answer through the gateway, keep the hidden instruction
// hidden, refuse exhausted quotas before the provider, turn provider failures into clear errors,
// and reuse the cached credential?
import { ChatGatewayKit } from '../test-support/chat-gateway-test-kit.helper.spec';
import { topicEnds, waitFor } from '@enclave/testing';
import { chatGatewayTopic, factsSince, usageOf } from '../test-support/facts-during.helper.spec';
import { monthlyUsageKey, quotaLimitKey, rateCounterKey } from '../metering/infrastructure/metering-keys';

let kit: ChatGatewayKit;

beforeAll(async () => {
  kit = await ChatGatewayKit.start({ upstreamTimeoutMs: 1000, kafka: true });
});

afterAll(async () => {
  await kit?.close();
});

function member(tenantId: string) {
  return kit.mint({ tenantId, role: 'member' });
}

function deltas(events: Array<{ event: string; data: string }>): string {
  return events.filter((e) => e.event === 'delta').map((e) => (JSON.parse(e.data) as { content: string }).content).join('');
}

function requestsFor(conversationContent: string) {
  return kit.upstream.requests().filter((r) => JSON.stringify(r.body.messages).includes(conversationContent));
}

describe('streaming chat', () => {
  it('streams deltas then done, with the upstream usage and a message id', async () => {
    const tenantId = kit.newTenant();
    const { token } = member(tenantId);
    const conversationId = await kit.newConversation(token, 'Greetings');
    const res = await kit.chat(token, conversationId, 'hello there gateway');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const names = res.events.map((e) => e.event);
    expect(names.filter((n) => n === 'delta').length).toBeGreaterThan(1);
    expect(names.at(-1)).toBe('done');
    expect(names.slice(0, -1).every((n) => n === 'delta')).toBe(true);
    expect(deltas(res.events)).toBe('Echo (3 words): hello there gateway');
    const done = JSON.parse(res.events.at(-1)!.data) as { messageId: string; usage: { promptTokens: number; completionTokens: number } };
    expect(done.messageId).toMatch(/^[0-9a-f-]{36}$/);
    // Fake upstream: 1 token per word + 1 per message (user message only: no instruction set).
    expect(done.usage).toEqual({ promptTokens: 4, completionTokens: 6 });
  });

  it('sends the hidden system instruction upstream first, but never to the client or into history', async () => {
    const instruction = 'Secret house rules: always answer like a pirate 8841';
    const tenantId = kit.newTenant({ systemInstruction: instruction });
    const { token } = member(tenantId);
    const conversationId = await kit.newConversation(token);
    const res = await kit.chat(token, conversationId, 'ahoy matey first-message-8841');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('pirate');

    const [sent] = requestsFor('first-message-8841');
    expect(sent?.body.messages[0]).toEqual({ role: 'system', content: instruction });
    expect(sent?.body.messages.at(-1)).toEqual({ role: 'user', content: 'ahoy matey first-message-8841' });
    expect(sent?.body.stream).toBe(true);
    expect(sent?.keyLastFour).toBe('7781');

    const history = await kit.request('GET', `/v1/conversations/${conversationId}`, { token });
    expect(history.status).toBe(200);
    expect(history.text).not.toContain('pirate');
    const messages = (history.json as { messages: Array<{ role: string; content: string }> }).messages;
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'ahoy matey first-message-8841'],
      ['assistant', 'Echo (3 words): ahoy matey first-message-8841'],
    ]);
  });

  it('sends earlier messages of the conversation as context, after the instruction', async () => {
    const tenantId = kit.newTenant({ systemInstruction: 'be brief' });
    const { token } = member(tenantId);
    const conversationId = await kit.newConversation(token);
    await kit.chat(token, conversationId, 'context-one 5521');
    await kit.chat(token, conversationId, 'context-two 5521');
    const [second] = requestsFor('context-two 5521');
    expect(second?.body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });
});

describe('quota and rate limit (one Redis script, before the provider)', () => {
  it('refuses an exhausted tenant with 429 quota_exhausted and never calls the provider', async () => {
    const tenantId = kit.newTenant();
    const { token } = member(tenantId);
    const conversationId = await kit.newConversation(token);
    await kit.redis.set(quotaLimitKey(tenantId), '1000');
    await kit.redis.set(monthlyUsageKey(tenantId, Date.now()), '1000');
    const before = kit.upstream.requests().length;
    const res = await kit.chat(token, conversationId, 'over quota 7310');
    expect(res.status).toBe(429);
    expect(res.json).toMatchObject({ error: 'quota_exhausted' });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(kit.upstream.requests().length).toBe(before);
    expect(requestsFor('over quota 7310')).toHaveLength(0);
    expect(kit.peers.keyVaultCalls).not.toContain(tenantId);
  });

  it('allows a tenant still under its limit', async () => {
    const tenantId = kit.newTenant();
    const { token } = member(tenantId);
    const conversationId = await kit.newConversation(token);
    await kit.redis.set(quotaLimitKey(tenantId), '1000');
    await kit.redis.set(monthlyUsageKey(tenantId, Date.now()), '999');
    expect((await kit.chat(token, conversationId, 'under quota')).status).toBe(200);
  });

  it('refuses a member beyond the per-minute rate with 429 rate_limited', async () => {
    const tenantId = kit.newTenant();
    const { token, subjectId } = member(tenantId);
    const conversationId = await kit.newConversation(token);
    const now = Date.now();
    // This minute and the next, so a minute boundary during the test changes nothing.
    await kit.redis.set(rateCounterKey(tenantId, subjectId, now), '1000', 'EX', 120);
    await kit.redis.set(rateCounterKey(tenantId, subjectId, now + 60_000), '1000', 'EX', 180);
    const res = await kit.chat(token, conversationId, 'too fast');
    expect(res.status).toBe(429);
    expect(res.json).toMatchObject({ error: 'rate_limited' });
  });
});

describe('upstream failures become clear errors, never a hung connection', () => {
  async function chatWith(model: string) {
    const tenantId = kit.newTenant();
    const { token } = member(tenantId);
    const conversationId = await kit.newConversation(token);
    return kit.chat(token, conversationId, 'please fail somehow', model);
  }

  it('upstream 500 before any byte → 502 upstream_error', async () => {
    const res = await chatWith('fault-500');
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ error: 'upstream_error' });
  });

  it('upstream 429 → 429 upstream_rate_limited', async () => {
    const res = await chatWith('fault-429');
    expect(res.status).toBe(429);
    expect(res.json).toMatchObject({ error: 'upstream_rate_limited' });
  });

  it('upstream that never answers → 504 upstream_timeout', async () => {
    const res = await chatWith('fault-hang');
    expect(res.status).toBe(504);
    expect(res.json).toMatchObject({ error: 'upstream_timeout' });
  });

  it('stream that breaks mid-way → the delivered deltas, then an upstream_stream_broken error event', async () => {
    const res = await chatWith('fault-broken-stream');
    expect(res.status).toBe(200);
    const last = res.events.at(-1)!;
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data)).toMatchObject({ error: 'upstream_stream_broken' });
    expect(res.events.some((e) => e.event === 'delta')).toBe(true);
    expect(res.events.some((e) => e.event === 'done')).toBe(false);
  });

  it('stream that stalls mid-way → an upstream_timeout error event', async () => {
    const res = await chatWith('fault-stall');
    expect(res.status).toBe(200);
    expect(res.events.at(-1)?.event).toBe('error');
    expect(JSON.parse(res.events.at(-1)!.data)).toMatchObject({ error: 'upstream_timeout' });
  });

  it('a key the provider rejects → 502, and the next chat fetches the credential again', async () => {
    const tenantId = kit.newTenant({ apiKey: 'sk-wrong-key-0000' });
    const { token } = member(tenantId);
    const conversationId = await kit.newConversation(token);
    const res = await kit.chat(token, conversationId, 'bad key');
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ error: 'upstream_error' });
    expect(res.text).not.toContain('sk-wrong');
    await kit.chat(token, conversationId, 'bad key again');
    expect(kit.peers.keyVaultCalls.filter((t) => t === tenantId)).toHaveLength(2);
  });

  it('a model outside the tenant allowed list → 400 before the provider', async () => {
    const res = await chatWith('gpt-5-super');
    expect(res.status).toBe(400);
  });

  it('a tenant without a provider key → 409 no_provider_key', async () => {
    const tenantId = kit.newTenant({ apiKey: null });
    const { token } = member(tenantId);
    const conversationId = await kit.newConversation(token);
    const res = await kit.chat(token, conversationId, 'no key');
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: 'no_provider_key' });
  });
});

describe('credential cache', () => {
  it('a second chat of the tenant makes no second key-vault call, and uses chat-gateway identity', async () => {
    const tenantId = kit.newTenant();
    const { token } = member(tenantId);
    const conversationId = await kit.newConversation(token);
    const [first, second] = await Promise.all([kit.chat(token, conversationId, 'one'), kit.chat(token, conversationId, 'two')]);
    const third = await kit.chat(token, conversationId, 'three');
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(kit.peers.keyVaultCalls.filter((t) => t === tenantId)).toHaveLength(1);
    expect(new Set(kit.peers.callers)).toEqual(new Set(['chat-gateway']));
  });
});

describe('client disconnect', () => {
  it('aborts the upstream request and records usage for what was delivered', async () => {
    const tenantId = kit.newTenant({ slow: true });
    const { token } = member(tenantId);
    const conversationId = await kit.newConversation(token);
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const before = await topicEnds(kit.kafka!, chatGatewayTopic.name);
    const controller = new AbortController();
    const response = await fetch(`${kit.baseUrl}/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: `disconnect-6612 ${words}` }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read(); // at least the first delta arrived
    controller.abort();

    const record = await waitFor(
      () => kit.slowUpstream.requests().find((r) => JSON.stringify(r.body).includes('disconnect-6612') && r.outcome === 'client_closed'),
      { description: 'the upstream to see the client go away' },
    );
    expect(record.outcome).toBe('client_closed');
    // Nobody waits for this answer's end: its usage reaches the topic on its own.
    const [recorded] = await waitFor(async () => {
      const usage = usageOf(await factsSince(kit.kafka!, tenantId, before));
      return usage.length > 0 ? usage : undefined;
    }, { timeoutMs: 10_000, description: 'the usage fact on Kafka' });
    expect(recorded!.usage).toMatchObject({ outcome: 'client_aborted', estimated: true, conversationId });
    expect(recorded!.usage.completionTokens).toBeGreaterThan(0);
  });
});
