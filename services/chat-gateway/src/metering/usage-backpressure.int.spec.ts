// When usage cannot be recorded (the bounded usage publisher is full), does the gateway shed new
// chats with 503 + Retry-After before calling the provider, and turn an answer that already
// streamed into an error instead of a success — on both front doors, against the real broker?
import { waitFor } from '@enclave/testing';
import { OpenAiApiKit } from '../openai-api/test-support/openai-api-kit.helper.spec';

jest.setTimeout(60_000);

// One fact fills the publisher; it lingers until the test flushes it.
const USAGE_PUBLISH = { maxPending: 1, maxBatch: 100, lingerMs: 60_000, retryAfterSec: 4 };

let kit: OpenAiApiKit;

beforeAll(async () => {
  kit = await OpenAiApiKit.start({ kafka: true, usagePublish: USAGE_PUBLISH, upstreamTimeoutMs: 5000 });
});

afterAll(async () => {
  await kit?.close();
});

/** Holds the publisher full with one real fact (a refusal of a throwaway key) until release(). */
function fillPublisher(tenantId: string) {
  const { runtime } = kit.main;
  const held = runtime.facts.publish({ type: 'ChatRefused', payer: { kind: 'key', tenantId, keyId: 'test-filler' }, reason: 'rate_limited' });
  expect(runtime.facts.refusal()).toBeDefined();
  return {
    release: async () => {
      await runtime.factPublisher!.flush();
      await held;
    },
  };
}

const upstreamSaw = (marker: string) => kit.upstream.requests().filter((r) => JSON.stringify(r.body.messages).includes(marker));

describe('a full usage publisher, before the provider is called', () => {
  it('answers the OpenAI-compatible API with 503, Retry-After and an OpenAI error body, and never calls the provider', async () => {
    const tenantId = kit.newTenant();
    const { key } = await kit.createKey(tenantId);
    const filler = fillPublisher(tenantId);
    const res = await kit.request('POST', '/v1/chat/completions', { token: key, body: { messages: [{ role: 'user', content: 'shed-api-1180' }] } });
    await filler.release();

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('4');
    expect(res.json).toEqual({ error: { message: expect.stringContaining('retry'), type: 'server_error', param: null, code: 'overloaded' } });
    expect(upstreamSaw('shed-api-1180')).toEqual([]);
    expect(kit.main.runtime.facts.refusal()).toBeUndefined(); // flushed: new work is admitted again
  });

  it('answers a member chat with 503, Retry-After and {error, message}, and never calls the provider', async () => {
    const tenantId = kit.newTenant();
    const { token } = kit.mint({ tenantId, role: 'member' });
    const conversation = await kit.request('POST', '/v1/conversations', { token, body: {} });
    const filler = fillPublisher(tenantId);
    const res = await kit.request('POST', `/v1/conversations/${conversation.json.id}/messages`, { token, body: { content: 'shed-member-1181' } });
    await filler.release();

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('4');
    expect(res.json).toEqual({ error: 'overloaded', message: expect.any(String) });
    expect(upstreamSaw('shed-member-1181')).toEqual([]);
  });
});

describe('usage that cannot be recorded after the answer streamed', () => {
  /** Starts a call whose provider answers after 500 ms, fills the publisher meanwhile, then lets the answer end. */
  async function withPublisherFullAtTheEnd<T>(tenantId: string, marker: string, call: () => Promise<T>): Promise<T> {
    const pending = call();
    await waitFor(() => upstreamSaw(marker).length > 0, { timeoutMs: 10_000, description: 'the provider to be called' });
    const filler = fillPublisher(tenantId);
    const result = await pending;
    await filler.release();
    return result;
  }

  it('ends an API stream with an error event instead of [DONE]', async () => {
    const tenantId = kit.newTenant({ allowedModels: ['gpt-4o-mini', 'slow-500'] });
    const { key } = await kit.createKey(tenantId);
    const res = await withPublisherFullAtTheEnd(tenantId, 'unrecorded-stream-1182', async () => {
      const response = await fetch(`${kit.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'slow-500', stream: true, messages: [{ role: 'user', content: 'unrecorded-stream-1182' }] }),
      });
      return { status: response.status, body: await response.text() };
    });
    expect(res.status).toBe(200);
    const events = res.body.split('\n\n').filter(Boolean);
    expect(events).not.toContain('data: [DONE]');
    expect(JSON.parse(events.at(-1)!.replace(/^data: /, ''))).toEqual({ error: expect.objectContaining({ code: 'usage_unrecorded' }) });
    expect(events.slice(0, -1).some((e) => e.includes('unrecorded-stream-1182'))).toBe(true); // the answer itself came through
  });

  it('cuts a whole JSON answer short, so no client takes it as complete', async () => {
    const tenantId = kit.newTenant({ allowedModels: ['gpt-4o-mini', 'slow-500'] });
    const { key } = await kit.createKey(tenantId);
    const outcome = await withPublisherFullAtTheEnd(tenantId, 'unrecorded-json-1183', async () => {
      try {
        const response = await fetch(`${kit.baseUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'slow-500', messages: [{ role: 'user', content: 'unrecorded-json-1183' }] }),
        });
        return { completed: JSON.parse(await response.text()) as unknown };
      } catch (error) {
        return { failed: (error as Error).message };
      }
    });
    expect(outcome).toEqual({ failed: expect.any(String) });
  });

  it('ends a member chat with an usage_unrecorded error event instead of done', async () => {
    const tenantId = kit.newTenant({ allowedModels: ['gpt-4o-mini', 'slow-500'] });
    const { token } = kit.mint({ tenantId, role: 'member' });
    const conversation = await kit.request('POST', '/v1/conversations', { token, body: {} });
    const res = await withPublisherFullAtTheEnd(tenantId, 'unrecorded-member-1184', () =>
      kit.request('POST', `/v1/conversations/${conversation.json.id}/messages`, { token, body: { content: 'unrecorded-member-1184', model: 'slow-500' } }));
    expect(res.status).toBe(200);
    const names = [...res.text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names.at(-1)).toBe('error');
    expect(names).not.toContain('done');
    expect(res.text).toContain('"error":"usage_unrecorded"');
  });
});
