// A real chat-gateway (Nest app, Kafka cache events) on a real key-vault against the fake upstream: does a rotation in the
// middle of N streaming chats fail none of them and move new chats to the new key; does a deleted key stop being used
// (event drop, and at the latest when the cache ttl ends) with nothing left in the database that opens it, even with the
// KEK; and after the whole run, is no plaintext key in any log line, Kafka topic, database or Redis?
jest.setTimeout(120_000);

import { createPublicKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import mongoose, { type Connection } from 'mongoose';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGrpcClient, createHttpApp, createLogger, loadServiceIdentity, ServiceTrust, uuidv7 } from '@enclave/platform';
import { keyVaultV1, tenantV1, TOPICS } from '@enclave/proto';
import { testSessions } from '@enclave/session';
import { loadInfraEnv, scanForPlaintext, uniqueName, waitFor } from '@enclave/testing';
import { start as startUpstream, type FakeUpstream } from '../../../../loadtests/fake-upstream/server';
import { callerPrivateKey, harnessEnv, startHarness, type Harness } from '../../../key-vault/src/test-support/key-vault-harness';
import { tryToOpenWithDatabaseAndKek } from '../../../key-vault/src/test-support/shred-check';
import { AppModule } from '../app.module';
import { EgressClient } from '../egress/egress-client';
import { RawUpstream } from '../metering/infrastructure/raw-upstream';
import { parseSseEvents } from '../chat/interface/sse-encoder';
import { ChatGatewayRuntime } from '../composition/chat-gateway-runtime';
import { FakeGrpcPeers } from '../test-support/fake-grpc-peers.helper.spec';
import { CredentialCache, NoProviderKeyError } from './application/credential-cache';
import { GrpcMemberRoles, GrpcSubjectKeySource } from '@enclave/privacy';
import { GrpcCredentialSource } from './infrastructure/grpc-credential-source';

const STREAMS = 6;
const CACHE_TTL_MS = 60_000;
const keyA = `sk-rot-a-${uuidv7().replace(/-/g, '')}AAAA`;
const keyB = `sk-rot-b-${uuidv7().replace(/-/g, '')}BBBB`;
const keyC = `sk-ttl-c-${uuidv7().replace(/-/g, '')}CCCC`;
const everyKey = [keyA, keyB, keyC];

describe('credentials across key-vault and chat-gateway', () => {
  let kv: Harness;
  let upstream: FakeUpstream;
  let peers: FakeGrpcPeers;
  let connection: Connection;
  let redis: Redis;
  let runtime: ChatGatewayRuntime;
  let app: NestFastifyApplication;
  let gatewayUrl = '';
  const gatewayLogs: string[] = [];
  const sessions = testSessions();
  const closers: Array<() => unknown> = [];
  let gatewayNow = Date.now();

  const identity = loadServiceIdentity('chat-gateway', callerPrivateKey('chat-gateway'));
  const grpcOptions = { identity, defaultDeadlineMs: 5000 };

  beforeAll(async () => {
    const infra = loadInfraEnv();
    kv = await startHarness(harnessEnv({ KAFKA_ENABLED: 'true' }), { captureLogs: true });
    upstream = await startUpstream({ port: 0, keys: [keyA, keyB, keyC], chunkDelayMs: 250 });
    peers = new FakeGrpcPeers(new ServiceTrust({ 'chat-gateway': createPublicKey(callerPrivateKey('chat-gateway')).export({ format: 'der', type: 'spki' }).toString('base64') }));
    const peersAddress = await peers.start();
    const tenantClient = createGrpcClient(tenantV1.TenantServiceClient, peersAddress, { ...grpcOptions, audience: 'tenant' });
    const keyVaultClient = createGrpcClient(keyVaultV1.KeyVaultServiceClient, `127.0.0.1:${kv.kv.grpcPort}`, { ...grpcOptions, audience: 'key-vault' });
    const subjectKeyClient = createGrpcClient(keyVaultV1.SubjectKeyServiceClient, peersAddress, { ...grpcOptions, audience: 'key-vault' });
    const memberRoles = new GrpcMemberRoles(createGrpcClient(tenantV1.MemberDirectoryServiceClient, peersAddress, { ...grpcOptions, audience: 'tenant' }), 2000);
    closers.push(() => tenantClient.close(), () => keyVaultClient.close(), () => subjectKeyClient.close(), () => memberRoles.close());

    const logger = createLogger({ service: 'chat-gateway-test', level: 'trace', destination: { write: (line: string) => void gatewayLogs.push(line) } });
    connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('cg-cred') }).asPromise();
    redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: 1 });
    const kafka = new Kafka({ clientId: uniqueName('cg-cred'), brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
    runtime = new ChatGatewayRuntime({
      connection,
      redis,
      logger,
      settingsSource: new (await import('../tenant-settings/infrastructure/grpc-tenant-settings-source')).GrpcTenantSettingsSource(tenantClient),
      credentialSource: new GrpcCredentialSource(keyVaultClient, logger),
      subjectKeySource: new GrpcSubjectKeySource(subjectKeyClient),
      memberRoles,
      privacy: { consumerGroup: uniqueName('cg-cred-privacy'), auditFromBeginning: false },
      kafka,
      chat: { upstreamTimeoutMs: 5000, fallbackModel: 'gpt-4o-mini', ratePerMinute: 1000, contextMessages: 20 },
      // The fake upstream listens on loopback.
      egress: { policy: { allowPrivate: false, allowLoopback: true } },
      caches: { credentialTtlMs: CACHE_TTL_MS, credentialMaxEntries: 100, settingsTtlMs: 600_000, settingsMaxEntries: 100 },
      clock: () => gatewayNow,
    });
    app = await createHttpApp(AppModule.forRoot({ runtime, logger, session: { verifier: sessions.verifier } }), { logger, handleSignals: false });
    await app.listen(0, '127.0.0.1');
    gatewayUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    await waitFor(() => runtime.cacheEventsReady(), { timeoutMs: 60_000, description: 'the cache-event consumer to join' });
  });

  afterAll(async () => {
    await app?.close();
    for (const close of closers) await close();
    peers?.stop();
    await upstream?.close();
    redis?.disconnect();
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
    await kv?.close();
  });

  function newTenant(): { tenantId: string; member: string; admin: string } {
    const tenantId = `tenant-${uuidv7()}`;
    peers.settings.set(tenantId, {
      version: 1,
      settings: { instanceName: 'Rotation', systemInstruction: '', messageLogging: false, privacyPolicyUrl: '', defaultModel: 'gpt-4o-mini', allowedModels: ['gpt-4o-mini'], messageLoggingNoticeVersion: '' },
    });
    return {
      tenantId,
      member: sessions.mint({ tenantId, role: 'member' }).token,
      admin: kv.sessions.mint({ tenantId, role: 'admin' }).token,
    };
  }

  async function gateway(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, text, events: parseSseEvents(text) };
  }

  async function chat(token: string, content: string) {
    const conversation = await gateway('POST', '/v1/conversations', token, {});
    const { id } = JSON.parse(conversation.text) as { id: string };
    return gateway('POST', `/v1/conversations/${id}/messages`, token, { content });
  }

  const answer = (events: Array<{ event: string; data: string }>) =>
    events.filter((e) => e.event === 'delta').map((e) => (JSON.parse(e.data) as { content: string }).content).join('');
  const requestsWith = (marker: string) => upstream.requests().filter((r) => JSON.stringify(r.body.messages).includes(marker));

  it(`rotating the key while ${STREAMS} chats stream fails none of them; new chats then use the new key`, async () => {
    const t = newTenant();
    const stored = await kv.http('POST', `/v1/tenants/${t.tenantId}/provider-keys`, {
      token: t.admin, body: { provider: 'openai-compatible', label: 'Upstream', apiKey: keyA, baseUrl: upstream.url },
    });
    expect(stored.status).toBe(201);

    const run = uuidv7();
    const content = (i: number) => `stream ${i} of ${run} with enough words to take a while`;
    const first = Array.from({ length: STREAMS / 2 }, (_, i) => chat(t.member, content(i)));
    await waitFor(() => requestsWith(run).length === STREAMS / 2, { description: 'the first streams to reach the upstream' });

    const rotated = await kv.http('POST', `/v1/tenants/${t.tenantId}/provider-keys/${stored.body.keyId}/rotate`, { token: t.admin, body: { apiKey: keyB } });
    expect(rotated.status).toBe(200);
    // The rotation happened mid-stream: the first chats are still streaming (11 chunks, 250 ms apart).
    expect(requestsWith(run).map((r) => r.outcome)).toEqual(Array(STREAMS / 2).fill('pending'));
    // More chats start right after the rotation, before or after the gateway heard of it.
    const second = Array.from({ length: STREAMS / 2 }, (_, i) => chat(t.member, content(STREAMS / 2 + i)));
    const results = await Promise.all([...first, ...second]);

    for (const [i, res] of results.entries()) {
      expect(res.status).toBe(200);
      expect(res.events.at(-1)?.event).toBe('done');
      expect(answer(res.events)).toBe(`Echo (11 words): ${content(i)}`);
    }
    const streamed = requestsWith(run);
    expect(streamed.every((r) => r.outcome === 'completed')).toBe(true);
    expect(streamed.slice(0, STREAMS / 2).every((r) => r.keyLastFour === 'AAAA')).toBe(true);

    // ProviderKeyRotated reaches the gateway, which drops the cached key: the next chats use version 2.
    await waitFor(async () => {
      const marker = uuidv7();
      await chat(t.member, `after rotation ${marker}`);
      return requestsWith(marker)[0]?.keyLastFour === 'BBBB';
    }, { timeoutMs: 30_000, description: 'a chat with the rotated key' });
  });

  it('a deleted key stops being used as soon as key-vault says so, and nothing in the database opens it even with the KEK', async () => {
    const t = newTenant();
    const stored = await kv.http('POST', `/v1/tenants/${t.tenantId}/provider-keys`, {
      token: t.admin, body: { provider: 'openai-compatible', label: 'Doomed', apiKey: keyC, baseUrl: upstream.url },
    });
    const warm = await chat(t.member, `warm ${uuidv7()}`);
    expect(warm.status).toBe(200);
    expect((await kv.http('DELETE', `/v1/tenants/${t.tenantId}/provider-keys/${stored.body.keyId}`, { token: t.admin })).status).toBe(204);

    const refused = await waitFor(async () => {
      const res = await chat(t.member, `after delete ${uuidv7()}`);
      return res.status === 409 ? res : undefined;
    }, { timeoutMs: 30_000, description: 'the gateway to refuse chats of the deleted key' });
    expect(JSON.parse(refused.text)).toMatchObject({ error: 'no_provider_key' });
    const marker = uuidv7();
    expect((await chat(t.member, `once more ${marker}`)).status).toBe(409);
    expect(requestsWith(marker)).toHaveLength(0);

    const attack = await tryToOpenWithDatabaseAndKek(kv.db, kv.kv.kek, { tenantId: t.tenantId, kind: 'provider-key', secretId: stored.body.keyId });
    expect(attack.sealedVersions).toBe(1);
    expect(attack.dataKeysTried).toBeGreaterThan(0);
    expect(attack.attempts).toBe(attack.dataKeysTried);
    expect(attack.opened).toBe(0);
  });

  it('without the event, the cache ttl bounds how long a deleted key is used', async () => {
    const t = newTenant();
    const stored = await kv.http('POST', `/v1/tenants/${t.tenantId}/provider-keys`, {
      token: t.admin, body: { provider: 'openai-compatible', label: 'Missed event', apiKey: keyC, baseUrl: upstream.url },
    });
    // A replica that missed ProviderKeyDeleted: the gateway's own cache type over the real gRPC source, no Kafka.
    let now = 0;
    const client = createGrpcClient(keyVaultV1.KeyVaultServiceClient, `127.0.0.1:${kv.kv.grpcPort}`, { ...grpcOptions, audience: 'key-vault' });
    closers.push(() => client.close());
    const egress = new EgressClient({ policy: { allowPrivate: false, allowLoopback: true } });
    closers.push(() => egress.close());
    const cache = new CredentialCache(new GrpcCredentialSource(client, createLogger({ service: 't', level: 'silent' })), (credential) => new RawUpstream(credential, egress), {
      maxEntries: 10, ttlMs: 2000, clock: () => now,
    });
    const handle = await cache.get(t.tenantId);
    expect(handle.keyId).toBe(stored.body.keyId);
    await kv.http('DELETE', `/v1/tenants/${t.tenantId}/provider-keys/${stored.body.keyId}`, { token: t.admin });
    now = 1999;
    expect(await cache.get(t.tenantId)).toBe(handle);
    now = 2000;
    await expect(cache.get(t.tenantId)).rejects.toBeInstanceOf(NoProviderKeyError);
  });

  it('after the whole run no plaintext key is in any log line, Kafka topic, database or Redis', async () => {
    // The gateway's usage events and key-vault's events are published by now (outboxes drained by the relays).
    await waitFor(async () => (await runtime.store.unpublished(1)).length === 0, { description: 'the gateway outbox to drain' });
    const scan = await scanForPlaintext(everyKey, {
      logs: [...kv.logs, ...gatewayLogs],
      databases: [kv.db, connection],
      topics: [TOPICS.keyVault.name, TOPICS.chatGateway.name, `${TOPICS.chatGateway.name}.dlq`],
      redis: true,
    });
    expect(scan.hits).toEqual([]);
    expect(scan.scanned.logLines).toBeGreaterThan(20);
    expect(scan.scanned.kafkaMessages).toBeGreaterThan(10);
    expect(scan.scanned.documents).toBeGreaterThan(10);
    expect(scan.scanned.redisKeys).toBeGreaterThan(0);
  });
});
