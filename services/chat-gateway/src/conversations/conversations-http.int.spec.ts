// Does every chat-gateway endpoint answer bad input with 400, no session with 401, auditors with
// 403, and other people's or other tenants' conversations with 404, while members see their own?
import { ChatGatewayKit } from '../test-support/chat-gateway-test-kit.helper.spec';

let kit: ChatGatewayKit;
let tenantId: string;
let alice: { token: string; subjectId: string };
let bob: { token: string; subjectId: string };
let auditor: { token: string };
let aliceConversation: string;

beforeAll(async () => {
  kit = await ChatGatewayKit.start();
  tenantId = kit.newTenant();
  alice = kit.mint({ tenantId, role: 'member' });
  bob = kit.mint({ tenantId, role: 'member' });
  auditor = kit.mint({ tenantId, role: 'auditor' });
  aliceConversation = await kit.newConversation(alice.token, 'Alice plans a Trip (2025)');
});

afterAll(async () => {
  await kit?.close();
});

describe('POST /v1/conversations', () => {
  it('201 with id, title and createdAt; default title when none given', async () => {
    const res = await kit.request('POST', '/v1/conversations', { token: alice.token, body: { title: '  Budget  ' } });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), title: 'Budget', createdAt: expect.any(String) });
    const untitled = await kit.request('POST', '/v1/conversations', { token: alice.token });
    expect(untitled.status).toBe(201);
    expect((untitled.json as { title: string }).title).toBe('New conversation');
  });

  it('owners and admins may chat too', async () => {
    for (const role of ['owner', 'admin'] as const) {
      const { token } = kit.mint({ tenantId, role });
      expect((await kit.request('POST', '/v1/conversations', { token, body: {} })).status).toBe(201);
    }
  });

  it('400 for a title over 200 characters or not a string', async () => {
    const long = await kit.request('POST', '/v1/conversations', { token: alice.token, body: { title: 'x'.repeat(201) } });
    expect(long.status).toBe(400);
    expect(long.json).toMatchObject({ error: 'bad_request' });
    expect((await kit.request('POST', '/v1/conversations', { token: alice.token, body: { title: 5 } })).status).toBe(400);
  });

  it('401 without a session, 403 for an auditor', async () => {
    expect((await kit.request('POST', '/v1/conversations', { body: {} })).status).toBe(401);
    expect((await kit.request('POST', '/v1/conversations', { token: 'not-a-jwt', body: {} })).status).toBe(401);
    expect((await kit.request('POST', '/v1/conversations', { token: auditor.token, body: {} })).status).toBe(403);
  });
});

describe('GET /v1/conversations', () => {
  it("lists only the caller's own conversations", async () => {
    await kit.newConversation(bob.token, 'Bob secret project');
    const res = await kit.request('GET', '/v1/conversations', { token: alice.token });
    expect(res.status).toBe(200);
    const titles = (res.json as { conversations: Array<{ title: string }> }).conversations.map((c) => c.title);
    expect(titles).toContain('Alice plans a Trip (2025)');
    expect(titles).not.toContain('Bob secret project');
  });

  it('searches titles case-insensitively and literally', async () => {
    const hit = await kit.request('GET', '/v1/conversations?query=trip%20(2025', { token: alice.token });
    expect(hit.status).toBe(200);
    expect((hit.json as { conversations: Array<{ id: string }> }).conversations.map((c) => c.id)).toEqual([aliceConversation]);
    const miss = await kit.request('GET', '/v1/conversations?query=.*', { token: alice.token });
    expect((miss.json as { conversations: unknown[] }).conversations).toEqual([]);
    const bobs = await kit.request('GET', '/v1/conversations?query=secret', { token: alice.token });
    expect((bobs.json as { conversations: unknown[] }).conversations).toEqual([]);
  });

  it('400 for an over-long query, 401 without a session, 403 for an auditor', async () => {
    expect((await kit.request('GET', `/v1/conversations?query=${'q'.repeat(201)}`, { token: alice.token })).status).toBe(400);
    expect((await kit.request('GET', '/v1/conversations')).status).toBe(401);
    expect((await kit.request('GET', '/v1/conversations', { token: auditor.token })).status).toBe(403);
  });
});

describe('GET /v1/conversations/:id', () => {
  it('the owner gets title and messages', async () => {
    const res = await kit.request('GET', `/v1/conversations/${aliceConversation}`, { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: aliceConversation, title: 'Alice plans a Trip (2025)', messages: [] });
  });

  it("404 for another member's, another tenant's and unknown conversations", async () => {
    const otherTenantMember = kit.mint({ tenantId: kit.newTenant(), role: 'member' });
    for (const token of [bob.token, otherTenantMember.token]) {
      const res = await kit.request('GET', `/v1/conversations/${aliceConversation}`, { token });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Alice');
    }
    expect((await kit.request('GET', '/v1/conversations/0190a000-0000-7000-8000-000000000000', { token: alice.token })).status).toBe(404);
  });

  it('400 for a malformed id, 401 without a session, 403 for an auditor', async () => {
    expect((await kit.request('GET', '/v1/conversations/not-an-id', { token: alice.token })).status).toBe(400);
    expect((await kit.request('GET', `/v1/conversations/${aliceConversation}`)).status).toBe(401);
    expect((await kit.request('GET', `/v1/conversations/${aliceConversation}`, { token: auditor.token })).status).toBe(403);
  });
});

describe('POST /v1/conversations/:id/messages', () => {
  const path = () => `/v1/conversations/${aliceConversation}/messages`;

  it('400 for missing, empty, blank or over-long content and a bad model type', async () => {
    for (const body of [{}, { content: '' }, { content: '   \n ' }, { content: 'x'.repeat(32_001) }, { content: 'hi', model: 7 }]) {
      const res = await kit.request('POST', path(), { token: alice.token, body });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: 'bad_request' });
    }
  });

  it("404 for another member's conversation, and the provider is not called", async () => {
    const before = kit.upstream.requests().length;
    const res = await kit.request('POST', path(), { token: bob.token, body: { content: 'let me in' } });
    expect(res.status).toBe(404);
    const otherTenant = kit.mint({ tenantId: kit.newTenant(), role: 'member' });
    expect((await kit.request('POST', path(), { token: otherTenant.token, body: { content: 'me too' } })).status).toBe(404);
    expect(kit.upstream.requests().length).toBe(before);
  });

  it('400 for a malformed id, 401 without a session, 403 for an auditor', async () => {
    expect((await kit.request('POST', '/v1/conversations/x/messages', { token: alice.token, body: { content: 'hi' } })).status).toBe(400);
    expect((await kit.request('POST', path(), { body: { content: 'hi' } })).status).toBe(401);
    expect((await kit.request('POST', path(), { token: auditor.token, body: { content: 'hi' } })).status).toBe(403);
  });

  it('accepts the longest allowed message', async () => {
    const res = await kit.request('POST', path(), { token: alice.token, body: { content: 'y'.repeat(32_000) } });
    expect(res.status).toBe(200);
    expect(res.events.at(-1)?.event).toBe('done');
  });
});
