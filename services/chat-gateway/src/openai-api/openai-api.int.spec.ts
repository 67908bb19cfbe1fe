// Does the real openai SDK work against chat-gateway with a tenant virtual key (streamed and
// whole answers), with the tenant's instruction, model policy, per-key limits and quota enforced,
// and is each call's usage on Kafka by the time the client sees the answer end?
import { createHmac } from 'node:crypto';
import OpenAI from 'openai';
import { TOPICS } from '@enclave/proto';
import { waitFor } from '@enclave/testing';
import { factsDuring, refusalsOf, usageOf } from '../test-support/facts-during.helper.spec';
import { keyMonthlyUsageKey, monthlyUsageKey, quotaLimitKey } from '../metering/infrastructure/metering-keys';
import { OpenAiApiKit, UPSTREAM_KEY } from './test-support/openai-api-kit.helper.spec';

jest.setTimeout(30_000);

let kit: OpenAiApiKit;

beforeAll(async () => {
  kit = await OpenAiApiKit.start({ kafka: true });
});

afterAll(async () => {
  await kit?.close();
});

async function storedEvents(tenantId: string, type: string) {
  const docs = await kit.connection.collection('events').find({ tenantId, type: `chat-gateway.${type}` }).toArray();
  return docs.map((doc) => ({ doc, payload: TOPICS.chatGateway.codec.decode(doc.payload.buffer ?? doc.payload) }));
}

describe('OpenAI-compatible API with a virtual key', () => {
  it('answers a whole (non-streaming) completion through the real SDK, with the hidden instruction applied upstream only', async () => {
    const tenantId = kit.newTenant({ systemInstruction: 'You are the secret house style.' });
    const { key } = await kit.createKey(tenantId);
    kit.upstream.clearRequests();

    const completion = await kit.openai(key).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there gateway' }] });

    expect(completion.choices[0]?.message.content).toBe('Echo (3 words): hello there gateway');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(JSON.stringify(completion)).not.toContain('secret house style');
    const sent = kit.upstream.requests().at(-1)!;
    expect(sent.keyLastFour).toBe(UPSTREAM_KEY.slice(-4));
    expect(sent.body.messages[0]).toEqual({ role: 'system', content: 'You are the secret house style.' });
    expect(sent.body.messages[1]).toEqual({ role: 'user', content: 'hello there gateway' });
  });

  it('streams the provider chunks through unchanged, usage chunk included, and has the usage on Kafka with the key id when the stream ends', async () => {
    const tenantId = kit.newTenant({ systemInstruction: 'Hidden rules.' });
    const { key, id } = await kit.createKey(tenantId);

    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    const { facts } = await factsDuring(kit.kafka!, tenantId, async () => {
      const stream = await kit.openai(key).chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'one two three four' }] });
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
    });
    expect(text).toBe('Echo (4 words): one two three four');
    expect(usage).toEqual({ prompt_tokens: 8, completion_tokens: 7, total_tokens: 15 });
    const sent = kit.upstream.requests().at(-1)!;
    expect(sent.body.stream_options).toEqual({ include_usage: true });

    const [recorded, ...more] = usageOf(facts);
    expect(more).toEqual([]);
    expect(recorded!.usage).toEqual(expect.objectContaining({
      virtualKeyId: id, memberSubjectId: '', conversationId: '', model: 'gpt-4o-mini', promptTokens: 8, completionTokens: 7, outcome: 'ok', estimated: false,
    }));
    expect(recorded!.envelope).toMatchObject({ type: 'chat-gateway.UsageRecorded', subjectId: '', streamId: `usage-${recorded!.usage.requestId}`, streamVersion: 1 });
    expect(recorded!.envelope.actor).toEqual(expect.objectContaining({ id: 'chat-gateway' }));
    // Reserved before the provider, settled to the real usage before the stream ended.
    expect(Number(await kit.redis.get(keyMonthlyUsageKey(id, Date.now())))).toBe(15);
    expect(Number(await kit.redis.get(monthlyUsageKey(tenantId, Date.now())))).toBe(15);
  });

  it('relays SSE byte for byte: data lines as the provider wrote them, ending in [DONE] once the usage is on Kafka', async () => {
    const tenantId = kit.newTenant();
    const { key } = await kit.createKey(tenantId);
    const { result: [res, body], facts } = await factsDuring(kit.kafka!, tenantId, async () => {
      const response = await fetch(`${kit.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'a b' }] }),
      });
      return [response, await response.text()] as const;
    });
    expect(usageOf(facts).map((f) => [f.usage.promptTokens, f.usage.completionTokens])).toEqual([[3, 5]]);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = body.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(chunks.at(-1).usage).toEqual({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true); // exactly what the upstream sent
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('lists the tenant models, narrowed by the key; a model outside them is refused before the provider', async () => {
    const tenantId = kit.newTenant({ defaultModel: 'gpt-4o-mini', allowedModels: ['gpt-4o-mini', 'gpt-4o'] });
    const wide = await kit.createKey(tenantId);
    const narrow = await kit.createKey(tenantId, { allowedModels: ['gpt-4o'] });

    const listed = await kit.openai(wide.key).models.list();
    expect(listed.data.map((m) => m.id)).toEqual(['gpt-4o-mini', 'gpt-4o']);
    const narrowListed = await kit.openai(narrow.key).models.list();
    expect(narrowListed.data.map((m) => m.id)).toEqual(['gpt-4o']);
    expect((await kit.openai(narrow.key).models.retrieve('gpt-4o')).id).toBe('gpt-4o');
    await expect(kit.openai(narrow.key).models.retrieve('gpt-4o-mini')).rejects.toBeInstanceOf(OpenAI.NotFoundError);

    const before = kit.upstream.requests().length;
    await expect(kit.openai(narrow.key).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 403, code: 'model_not_allowed' });
    await expect(kit.openai(wide.key).chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(kit.upstream.requests().length).toBe(before);
    // No model: the key's usable default.
    const answer = await kit.request('POST', '/v1/chat/completions', { token: narrow.key, body: { messages: [{ role: 'user', content: 'hi' }] } });
    expect(answer.status).toBe(200);
    expect(answer.json.model).toBe('gpt-4o');
  });

  it('isolates tenants: a key sees only its tenant, and admins cannot see or revoke another tenant keys', async () => {
    const a = kit.newTenant({ allowedModels: ['gpt-4o-mini'] });
    const b = kit.newTenant({ defaultModel: 'gpt-4o', allowedModels: ['gpt-4o', 'fake-echo'] });
    const keyA = await kit.createKey(a);
    const keyB = await kit.createKey(b);

    expect((await kit.openai(keyA.key).models.list()).data.map((m) => m.id)).toEqual(['gpt-4o-mini']);
    await expect(kit.openai(keyA.key).chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 403 });
    expect((await kit.request('GET', `/v1/tenants/${b}/virtual-keys`, { token: kit.admin(a) })).status).toBe(404);
    expect((await kit.request('DELETE', `/v1/tenants/${a}/virtual-keys/${keyB.id}`, { token: kit.admin(a) })).status).toBe(404);
    expect((await kit.request('DELETE', `/v1/tenants/${b}/virtual-keys/${keyB.id}`, { token: kit.admin(a) })).status).toBe(404);
    expect((await kit.openai(keyB.key).models.list()).data.map((m) => m.id)).toEqual(['gpt-4o', 'fake-echo']);
  });

  it('refuses missing, malformed and unknown keys with 401 in OpenAI format', async () => {
    const none = await kit.request('POST', '/v1/chat/completions', { body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] } });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    expect((await kit.request('GET', '/v1/models', { token: 'sk-not-ours' })).status).toBe(401);
    const unknown = `ek-${'A'.repeat(43)}`;
    await expect(kit.openai(unknown).models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const tenantId = kit.newTenant();
    const session = kit.admin(tenantId);
    expect((await kit.request('GET', '/v1/models', { token: session })).status).toBe(401); // a session is not an API key
  });

  it('answers bad requests with 400 in OpenAI format, naming the parameter', async () => {
    const tenantId = kit.newTenant();
    const { key } = await kit.createKey(tenantId);
    const post = (body: unknown) => kit.request('POST', '/v1/chat/completions', { token: key, body });
    const unknownParam = await post({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], frobnicate: true });
    expect(unknownParam.status).toBe(400);
    expect(unknownParam.json.error).toMatchObject({ type: 'invalid_request_error', param: 'frobnicate' });
    expect((await post({ model: 'gpt-4o-mini', messages: [] })).json.error.param).toBe('messages');
    expect((await post({ model: 'gpt-4o-mini', messages: [{ role: 'wizard', content: 'x' }] })).json.error.param).toBe('messages[0].role');
    expect((await post({ model: 7, messages: [{ role: 'user', content: 'x' }] })).status).toBe(400);
    const badJson = await kit.request('POST', '/v1/chat/completions', { token: key, rawBody: '{"model": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.json.error.type).toBe('invalid_request_error');
    const wrongType = await kit.request('POST', '/v1/chat/completions', { token: key, rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('JSON object') });
  });

  it('rate-limits per key with 429 and retry-after; another key of the tenant is unaffected', async () => {
    const tenantId = kit.newTenant();
    const slow = await kit.createKey(tenantId, { rateLimitPerMinute: 2 });
    const other = await kit.createKey(tenantId);
    const call = (key: string) => kit.request('POST', '/v1/chat/completions', { token: key, body: { messages: [{ role: 'user', content: 'x' }] } });
    const statuses = [(await call(slow.key)).status, (await call(slow.key)).status];
    const third = await call(slow.key);
    // The counter is per epoch minute: a minute boundary between the calls resets it.
    if (statuses.every((s) => s === 200) && third.status !== 200) {
      expect(third.status).toBe(429);
      expect(third.json.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      await expect(kit.openai(slow.key).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    } else {
      expect([...statuses, third.status].filter((s) => s === 429).length).toBeLessThanOrEqual(1);
    }
    expect((await call(other.key)).status).toBe(200);
  });

  it('refuses with 429 insufficient_quota before the provider is called when the tenant quota is used up', async () => {
    const tenantId = kit.newTenant();
    const { key, id } = await kit.createKey(tenantId);
    await kit.redis.set(quotaLimitKey(tenantId), '100');
    await kit.redis.set(monthlyUsageKey(tenantId, Date.now()), '100');
    const before = kit.upstream.requests().length;
    const { result: refused, facts } = await factsDuring(kit.kafka!, tenantId, () =>
      kit.request('POST', '/v1/chat/completions', { token: key, body: { messages: [{ role: 'user', content: 'x' }] } }));
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(kit.upstream.requests().length).toBe(before);
    expect(refusalsOf(facts).map((f) => f.refusal)).toEqual([{ memberSubjectId: '', reason: 'quota_exhausted', virtualKeyId: id }]);
    await kit.redis.del(quotaLimitKey(tenantId), monthlyUsageKey(tenantId, Date.now()));
  });

  it('enforces the key monthly token limit as soon as a call used it up', async () => {
    const tenantId = kit.newTenant();
    const { key, id } = await kit.createKey(tenantId, { monthlyTokenLimit: 10 });
    const call = () => kit.request('POST', '/v1/chat/completions', { token: key, body: { messages: [{ role: 'user', content: 'count these words please now' }] } });
    expect((await call()).status).toBe(200);
    expect(Number(await kit.redis.get(keyMonthlyUsageKey(id, Date.now())))).toBeGreaterThanOrEqual(10);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.json.error.message).toContain('key');
  });

  it('maps provider failures to OpenAI errors and a broken stream to an SSE error the SDK raises', async () => {
    const tenantId = kit.newTenant();
    const { key } = await kit.createKey(tenantId);
    const sdk = kit.openai(key);
    await expect(sdk.chat.completions.create({ model: 'fault-500', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 502 });
    await expect(sdk.chat.completions.create({ model: 'fault-429', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 429, code: 'upstream_rate_limited' });
    const { facts } = await factsDuring(kit.kafka!, tenantId, async () => {
      const stream = await sdk.chat.completions.create({ model: 'fault-broken-stream', stream: true, messages: [{ role: 'user', content: 'a b c d e f' }] });
      await expect((async () => {
        for await (const _ of stream) void _;
      })()).rejects.toThrow(/broke off/);
    });
    const broken = usageOf(facts).filter((f) => f.usage.model === 'fault-broken-stream');
    expect(broken.map((f) => f.usage)).toEqual([expect.objectContaining({ outcome: 'upstream_error', estimated: true })]);
  });
});

describe('virtual key management', () => {
  it('shows the key once, stores only its HMAC, lists it masked and revokes it', async () => {
    const tenantId = kit.newTenant();
    const admin = kit.admin(tenantId);
    const created = await kit.request('POST', `/v1/tenants/${tenantId}/virtual-keys`, { token: admin, body: { label: 'CI pipeline', rateLimitPerMinute: 30, monthlyTokenLimit: 5000, allowedModels: ['gpt-4o'] } });
    expect(created.status).toBe(201);
    const { key, virtualKey } = created.json;
    expect(key).toMatch(/^ek-[A-Za-z0-9_-]{43}$/);
    expect(virtualKey).toEqual({
      id: expect.any(String), label: 'CI pipeline', lastFour: key.slice(-4), rateLimitPerMinute: 30, monthlyTokenLimit: 5000,
      allowedModels: ['gpt-4o'], createdAt: expect.any(String), lastUsedAt: null,
    });

    const stored = await kit.connection.collection('virtual_keys').findOne({ keyId: virtualKey.id });
    expect(stored?._id).toBe(createHmac('sha256', kit.pepper).update(key).digest('base64url'));
    expect(JSON.stringify(stored)).not.toContain(key.slice(3));
    const createdEvent = (await storedEvents(tenantId, 'VirtualKeyCreated'))[0]!;
    expect(createdEvent.payload.event).toEqual({ $case: 'virtualKeyCreated', value: expect.objectContaining({ keyId: virtualKey.id, rateLimitPerMinute: 30, monthlyTokenLimit: 5000, allowedModels: ['gpt-4o'] }) });
    expect(Buffer.from(createdEvent.doc.payload.buffer).toString('latin1')).not.toContain(key.slice(-8));

    await kit.request('POST', '/v1/chat/completions', { token: key, body: { messages: [{ role: 'user', content: 'x' }] } });
    const listed = await waitFor(async () => {
      const res = await kit.request('GET', `/v1/tenants/${tenantId}/virtual-keys`, { token: admin });
      return res.json.virtualKeys[0]?.lastUsedAt ? res : undefined;
    }, { timeoutMs: 5000, description: 'lastUsedAt' });
    expect(listed.text).not.toContain(key);
    expect(listed.json.virtualKeys).toHaveLength(1);

    expect((await kit.request('DELETE', `/v1/tenants/${tenantId}/virtual-keys/${virtualKey.id}`, { token: admin })).status).toBe(204);
    expect((await kit.request('GET', '/v1/models', { token: key })).status).toBe(401); // this replica: at once
    expect((await kit.request('DELETE', `/v1/tenants/${tenantId}/virtual-keys/${virtualKey.id}`, { token: admin })).status).toBe(204);
    expect((await kit.request('GET', `/v1/tenants/${tenantId}/virtual-keys`, { token: admin })).json.virtualKeys).toEqual([]);
    const revoked = await storedEvents(tenantId, 'VirtualKeyRevoked');
    expect(revoked).toHaveLength(1);
  });

  it('answers 400 bad input, 401 without a session, 403 for members and auditors, 404 for unknown keys', async () => {
    const tenantId = kit.newTenant();
    const path = `/v1/tenants/${tenantId}/virtual-keys`;
    expect((await kit.request('POST', path, { body: { label: 'x' } })).status).toBe(401);
    expect((await kit.request('GET', path)).status).toBe(401);
    for (const role of ['member', 'auditor'] as const) {
      const token = kit.mint({ tenantId, role }).token;
      expect((await kit.request('POST', path, { token, body: { label: 'x' } })).status).toBe(403);
      expect((await kit.request('GET', path, { token })).status).toBe(403);
    }
    const admin = kit.admin(tenantId);
    expect((await kit.request('POST', path, { token: admin, body: { label: '' } })).status).toBe(400);
    expect((await kit.request('POST', path, { token: admin, body: { label: 'x', rateLimitPerMinute: 0 } })).status).toBe(400);
    expect((await kit.request('POST', path, { token: admin, body: { label: 'x', extra: 1 } })).status).toBe(400);
    expect((await kit.request('POST', path, { token: admin, body: { label: 'x', allowedModels: ['has space'] } })).status).toBe(400);
    expect((await kit.request('DELETE', `${path}/not-an-id`, { token: admin })).status).toBe(400);
    expect((await kit.request('DELETE', `${path}/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b`, { token: admin })).status).toBe(404);
    const owner = kit.mint({ tenantId, role: 'owner' }).token;
    expect((await kit.request('POST', path, { token: owner, body: { label: 'owner key' } })).status).toBe(201);
  });
});

describe('a key whose creator is frozen or restricted', () => {
  it('is refused with 403 in OpenAI\'s error shape while the creator\'s erasure or restriction lasts', async () => {
    const tenantId = kit.newTenant();
    const creator = kit.mint({ tenantId, role: 'admin' });
    const created = await kit.request('POST', `/v1/tenants/${tenantId}/virtual-keys`, { token: creator.token, body: { label: 'privacy' } });
    const { key } = created.json as { key: string };
    const ask = () => kit.openai(key).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    await expect(ask()).resolves.toBeDefined();
    const registry = kit.main.runtime.privacyRegistry; // what the audit topic feeds on every replica

    registry.apply(tenantId, creator.subjectId, { type: 'ErasureRequested', atMs: Date.now() });
    await expect(ask()).rejects.toMatchObject({ status: 403, code: 'account_frozen' });
    registry.apply(tenantId, creator.subjectId, { type: 'ErasureCancelled', atMs: Date.now() + 1 });
    registry.apply(tenantId, creator.subjectId, { type: 'ProcessingRestricted', atMs: Date.now() + 1 });
    await expect(ask()).rejects.toMatchObject({ status: 403, code: 'processing_restricted' });
    registry.apply(tenantId, creator.subjectId, { type: 'ProcessingRestrictionLifted', atMs: Date.now() + 2 });
    await expect(ask()).resolves.toBeDefined();
  });

  it('the creator\'s access export lists the key\'s metadata, never the key, its hash or its last characters', async () => {
    const tenantId = kit.newTenant();
    const creator = kit.mint({ tenantId, role: 'owner' });
    const created = await kit.request('POST', `/v1/tenants/${tenantId}/virtual-keys`, { token: creator.token, body: { label: 'exported', rateLimitPerMinute: 7 } });
    const { key, virtualKey } = created.json as { key: string; virtualKey: { id: string } };
    const doc = await kit.main.runtime.privacy.exporter.execute(tenantId as never, creator.subjectId);
    expect(doc.virtualKeysCreated).toEqual([expect.objectContaining({ keyId: virtualKey.id, label: 'exported', rateLimitPerMinute: 7, revokedAt: null })]);
    const text = JSON.stringify(doc);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(-4) + '"');
    expect(text).not.toMatch(/hash|lastFour/);
  });
});
