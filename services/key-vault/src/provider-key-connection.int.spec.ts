// Does "test connection" list the provider's models with the stored key (fake upstream), re-check and pin the base URL at
// connect time, time out, refuse redirects, record ProviderKeyTested, and keep the key out of the answer and the logs?
jest.setTimeout(60_000);

import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { uuidv7 } from '@enclave/platform';
import { eventsV1 } from '@enclave/proto';
import { MODELS, start as startUpstream, type FakeUpstream } from '../../../loadtests/fake-upstream/server';
import type { HostResolver } from './application/ports';
import { harnessEnv, startHarness, type Harness } from './test-support/key-vault-harness';

const apiKey = `sk-conn-${uuidv7().replace(/-/g, '')}TEST`;

describe('POST /v1/tenants/:tenantId/provider-keys/:keyId/test', () => {
  let h: Harness;
  let upstream: FakeUpstream;
  let connections = 0;
  const dns = new Map<string, string[]>();
  const resolver: HostResolver = { lookup: async (host) => dns.get(host) ?? [] };
  const tenant = `tenant-${uuidv7()}`;
  const servers: Array<{ close(): void }> = [];
  let token = '';

  beforeAll(async () => {
    upstream = await startUpstream({ port: 0, keys: [apiKey] });
    upstream.server.on('connection', () => (connections += 1));
    dns.set('fake-upstream.test', ['127.0.0.1']);
    h = await startHarness(harnessEnv({ KAFKA_ENABLED: 'false', PROVIDER_TEST_TIMEOUT_MS: '300' }), { resolver, captureLogs: true });
    token = h.sessions.mint({ tenantId: tenant, role: 'admin' }).token;
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await upstream?.close();
    await h?.close();
  });

  async function storeKey(baseUrl: string, key = apiKey): Promise<string> {
    const res = await h.http('POST', `/v1/tenants/${tenant}/provider-keys`, { token, body: { provider: 'openai-compatible', label: 'Test', apiKey: key, baseUrl } });
    expect(res.status).toBe(201);
    return res.body.keyId;
  }
  async function test(keyId: string) {
    const res = await h.http('POST', `/v1/tenants/${tenant}/provider-keys/${keyId}/test`, { token });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(apiKey);
    return res.body;
  }

  it('lists the models with the key (resolved name pinned to the checked address), and records ProviderKeyTested', async () => {
    const keyId = await storeKey(`http://fake-upstream.test:${upstream.port}/v1`);
    expect(await test(keyId)).toEqual({ keyId, keyVersion: 1, ok: true, outcome: 'ok', status: 200, models: MODELS, modelCount: MODELS.length });
    const event = await h.db.db!.collection('events').findOne({ tenantId: tenant, type: 'key-vault.ProviderKeyTested' });
    expect(event?.actor).toMatchObject({ kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, role: 'admin' });
    const list = await h.http('GET', `/v1/tenants/${tenant}/provider-keys`, { token });
    expect(list.body.keys[0].lastTest).toEqual({ at: expect.any(String), version: 1, outcome: 'ok' });
  });

  it('reports a key the provider refuses as unauthorized, with the current version', async () => {
    const keyId = await storeKey(`http://fake-upstream.test:${upstream.port}/v1`, 'sk-wrong-key-000000');
    expect(await test(keyId)).toMatchObject({ ok: false, outcome: 'unauthorized', status: 401, models: [], modelCount: 0 });
    await h.http('POST', `/v1/tenants/${tenant}/provider-keys/${keyId}/rotate`, { token, body: { apiKey } });
    expect(await test(keyId)).toMatchObject({ keyVersion: 2, ok: true, outcome: 'ok' });
  });

  it('re-checks the base URL at connect time: a name now resolving to the metadata address is blocked before any connection', async () => {
    dns.set('rebind.test', ['127.0.0.1']);
    const keyId = await storeKey(`http://rebind.test:${upstream.port}/v1`);
    dns.set('rebind.test', ['127.0.0.1', '169.254.169.254']);
    const before = connections;
    expect(await test(keyId)).toMatchObject({ ok: false, outcome: 'blocked', reason: 'base URL points to a cloud metadata endpoint' });
    expect(connections).toBe(before);
    dns.delete('rebind.test');
    expect(await test(keyId)).toMatchObject({ ok: false, outcome: 'blocked', reason: 'base URL host does not resolve' });
  });

  it('gives up after PROVIDER_TEST_TIMEOUT_MS on a silent endpoint, and reports a closed port as unreachable', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    servers.push(silent);
    expect(await test(await storeKey(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`))).toMatchObject({ ok: false, outcome: 'timeout', status: null });

    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await test(await storeKey(`http://127.0.0.1:${port}/v1`))).toMatchObject({ ok: false, outcome: 'unreachable' });
  });

  it('does not follow a redirect (it could point anywhere) and does not return the body of an answer that echoes the key', async () => {
    const tricky = http.createServer((req, res) => {
      if (req.url === '/redirect/models') res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: `echo ${req.headers.authorization}` }, { id: 'real-model' }] }));
    });
    await new Promise<void>((resolve) => tricky.listen(0, '127.0.0.1', resolve));
    servers.push(tricky);
    const port = (tricky.address() as AddressInfo).port;
    expect(await test(await storeKey(`http://127.0.0.1:${port}/redirect`))).toMatchObject({ ok: false, outcome: 'rejected', status: 302 });
    expect(await test(await storeKey(`http://127.0.0.1:${port}/echo`))).toMatchObject({ ok: true, models: ['real-model'], modelCount: 1 });
  });

  it('wrote log lines about the tests, none with the key', () => {
    const tested = h.logs.filter((line) => line.includes('provider key tested'));
    expect(tested.length).toBeGreaterThanOrEqual(8);
    for (const line of h.logs) expect(line).not.toContain(apiKey);
  });
});
