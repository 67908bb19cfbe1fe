// When an admin revokes a virtual key on one gateway replica, does another replica that has the
// key cached (with a ttl far longer than the test) stop accepting it once VirtualKeyRevoked
// arrives over Kafka?
import { waitFor } from '@enclave/testing';
import { OpenAiApiKit, type Gateway } from '../openai-api/test-support/openai-api-kit.helper.spec';

jest.setTimeout(90_000);

let kit: OpenAiApiKit;
let replicaB: Gateway;

beforeAll(async () => {
  kit = await OpenAiApiKit.start({ kafka: true, keyCacheTtlMs: 10 * 60_000 });
  replicaB = await kit.addReplica();
});

afterAll(async () => {
  await kit?.close();
});

it('replica B drops the key on VirtualKeyRevoked relayed from replica A', async () => {
  const a = kit.main;
  const b = replicaB;
  await waitFor(() => a.runtime.cacheEventsReady() && b.runtime.cacheEventsReady(), { timeoutMs: 60_000, description: 'both replicas consuming' });
  const tenantId = kit.newTenant();
  const { key, id } = await kit.createKey(tenantId);
  const models = (baseUrl: string) => kit.request('GET', '/v1/models', { token: key, baseUrl });

  expect((await models(b.baseUrl)).status).toBe(200);
  expect(b.runtime.openAi?.keyCache.peek(kit.hashOf(key))).toMatchObject({ keyId: id }); // cached on B for 10 minutes

  const revoked = await kit.request('DELETE', `/v1/tenants/${tenantId}/virtual-keys/${id}`, { token: kit.admin(tenantId), baseUrl: a.baseUrl });
  expect(revoked.status).toBe(204);
  expect((await models(a.baseUrl)).status).toBe(401);

  await waitFor(async () => (await models(b.baseUrl)).status === 401, { timeoutMs: 30_000, intervalMs: 200, description: 'replica B to refuse the revoked key' });
  const refused = await kit
    .openai(key, b.baseUrl)
    .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
    .then(() => 200, (error: { status?: number }) => error.status);
  expect(refused).toBe(401);
});
