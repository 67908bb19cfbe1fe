// Against real FerretDB and Kafka: is a stored key only ciphertext at rest, and does only chat-gateway get it back, audited?
jest.setTimeout(60_000);

import * as grpc from '@grpc/grpc-js';
import { generateKeyPairSync } from 'node:crypto';
import mongoose from 'mongoose';
import { decodeEnvelope, EventStore, tenantId as checkedTenantId, type ConsumedEvent, type HandlerContext, type StoredEvent } from '@enclave/eventing';
import { GrpcError, uuidv7 } from '@enclave/platform';
import { eventsV1, keyVaultV1 } from '@enclave/proto';
import { waitFor } from '@enclave/testing';
import { EventStoreSecretStreams } from './infrastructure/events/event-store-secret-streams';
import { KEY_VAULT_TOPIC } from './infrastructure/events/key-vault-topic';
import { projectionRepairHandler } from './infrastructure/events/projection-repair.handler';
import { MongoSecretViews } from './infrastructure/mongo/secret-view.repository';
import { harnessEnv, newKek, startHarness, topicReader, type Harness } from './test-support/key-vault-harness';

const admin = { kind: 'person' as const, subjectId: 'subject-admin-1', role: 'admin' as const };
const apiKey = `sk-live-${uuidv7().replace(/-/g, '')}WXYZ`;

async function grpcCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GrpcError) return `${error.codeName}: ${error.message}`;
    throw error;
  }
  return 'OK';
}

/** Every raw document of the database, BSON-encoded: the bytes actually at rest. */
async function rawDocuments(h: Harness): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const { name } of await h.db.db!.listCollections().toArray()) {
    for (const doc of await h.db.db!.collection(name).find({}).toArray()) out.push(Buffer.from(mongoose.mongo.BSON.serialize(doc)));
  }
  return out;
}

describe('key-vault against real infrastructure', () => {
  let h: Harness;
  const tenantA = checkedTenantId(`tenant-a-${uuidv7()}`);
  const tenantB = checkedTenantId(`tenant-b-${uuidv7()}`);

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stores only ciphertext: no raw document holds the key, in any encoding', async () => {
    const masked = await h.kv.storeProviderKey.execute(
      { tenantId: tenantA, provider: 'openai-compatible', label: 'Fake upstream', apiKey, baseUrl: 'http://127.0.0.1:7190/v1' },
      admin,
    );
    expect(masked).toMatchObject({ provider: 'openai-compatible', label: 'Fake upstream', lastFour: 'WXYZ', keyVersion: 1, isDefault: true });
    expect(JSON.stringify(masked)).not.toContain(apiKey);

    const docs = await rawDocuments(h);
    const names = (await h.db.db!.listCollections().toArray()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['secrets', 'events', 'secret_views']));
    const secrets = await h.db.db!.collection('secrets').find({ tenantId: tenantA }).toArray();
    expect(secrets).toHaveLength(1);
    const forms = [Buffer.from(apiKey), Buffer.from(Buffer.from(apiKey).toString('base64')), Buffer.from(Buffer.from(apiKey).toString('hex'))];
    for (const doc of docs) for (const form of forms) expect(doc.includes(form)).toBe(false);
    // The version's own data key is stored wrapped only: 12-byte nonce + 16-byte tag + 32 bytes.
    expect(secrets[0]).toMatchObject({ kind: 'provider-key', version: 1, kekVersion: 1, shreddedAt: null });
    expect((secrets[0]!.wrappedDek as { length(): number }).length()).toBe(60);
  });

  it('gives chat-gateway the plaintext, records ProviderKeyDecrypted on the topic, and moves lastUsedAt', async () => {
    const response = await h.grpcAs('chat-gateway').call('getProviderCredential', { tenantId: tenantA, keyId: '', keyVersion: 0 });
    expect(response).toMatchObject({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:7190/v1', apiKey, keyVersion: 1 });

    const reader = await topicReader(tenantA);
    try {
      const decrypted = await waitFor(
        () =>
          reader.seen
            .map((m) => decodeEnvelope(KEY_VAULT_TOPIC, m.value))
            .find((e) => e.payload.event?.$case === 'providerKeyDecrypted'),
        { timeoutMs: 30_000, description: 'ProviderKeyDecrypted on enclave.key-vault.events.v1' },
      );
      expect(decrypted.envelope).toMatchObject({
        type: 'key-vault.ProviderKeyDecrypted',
        tenantId: tenantA,
        actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'chat-gateway', role: '' },
        streamId: expect.stringMatching(new RegExp(`^provider-key-${response.keyId}-decryption-[0-9a-f-]{36}$`)),
        streamVersion: 1,
      });
      expect(decrypted.payload.event).toEqual({
        $case: 'providerKeyDecrypted',
        value: { keyId: response.keyId, keyVersion: 1, caller: 'chat-gateway' },
      });
      const stored = reader.seen.map((m) => decodeEnvelope(KEY_VAULT_TOPIC, m.value)).find((e) => e.payload.event?.$case === 'providerKeyStored');
      expect(stored?.envelope.actor).toEqual({ kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: admin.subjectId, role: 'admin' });
      for (const m of reader.seen) expect(m.value.includes(Buffer.from(apiKey))).toBe(false);
    } finally {
      await reader.stop();
    }

    const view = await h.db.db!.collection('secret_views').findOne({ tenantId: tenantA, secretId: response.keyId });
    expect(view?.lastUsedAt).toBeInstanceOf(Date);
    expect(view?.streamVersion).toBe(1);
  });

  it('makes the latest stored key the default, and serves a named key by id', async () => {
    const first = (await h.db.db!.collection('secret_views').findOne({ tenantId: tenantA }))!.secretId as string;
    const second = await h.kv.storeProviderKey.execute({ tenantId: tenantA, provider: 'anthropic', label: 'Claude', apiKey: 'sk-ant-second-key-0000' }, admin);
    const client = h.grpcAs('chat-gateway');
    expect(await client.call('getProviderCredential', { tenantId: tenantA, keyId: '', keyVersion: 0 })).toMatchObject({ keyId: second.keyId, provider: 'anthropic', baseUrl: '' });
    expect(await client.call('getProviderCredential', { tenantId: tenantA, keyId: first, keyVersion: 0 })).toMatchObject({ keyId: first, apiKey });
  });

  it('serves concurrent requests for the same key, recording every decryption exactly once', async () => {
    const client = h.grpcAs('chat-gateway');
    const keyId = (await client.call('getProviderCredential', { tenantId: tenantA, keyId: '', keyVersion: 0 })).keyId;
    const events = h.db.db!.collection('events');
    const decryptions = { tenantId: tenantA, type: 'key-vault.ProviderKeyDecrypted', streamId: { $regex: `^provider-key-${keyId}-decryption-` } };
    const before = await events.countDocuments(decryptions);
    const results = await Promise.all(Array.from({ length: 8 }, () => client.call('getProviderCredential', { tenantId: tenantA, keyId, keyVersion: 0 })));
    expect(results.every((r) => r.keyId === keyId && r.apiKey.length > 0)).toBe(true);
    const after = await events.find(decryptions).toArray();
    expect(after).toHaveLength(before + 8);
    expect(new Set(after.map((e) => e.streamId)).size).toBe(after.length);
    expect(await events.countDocuments({ streamId: `provider-key-${keyId}` })).toBe(1);
  });

  it('refuses every other caller', async () => {
    expect(await grpcCode(h.grpcAs('billing').call('getProviderCredential', { tenantId: tenantA, keyId: '', keyVersion: 0 }))).toMatch(/^PERMISSION_DENIED/);
    const stranger = generateKeyPairSync('ed25519').privateKey;
    expect(await grpcCode(h.grpcWithKey('chat-gateway', stranger).call('getProviderCredential', { tenantId: tenantA, keyId: '', keyVersion: 0 }))).toMatch(
      /^UNAUTHENTICATED/,
    );
    const bare = new keyVaultV1.KeyVaultServiceClient(`127.0.0.1:${h.kv.grpcPort}`, grpc.credentials.createInsecure());
    const code = await new Promise<number>((resolve) =>
      bare.getProviderCredential({ tenantId: tenantA, keyId: '', keyVersion: 0 }, (error) => resolve(error ? error.code : grpc.status.OK)),
    );
    bare.close();
    expect(code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('answers NOT_FOUND for another tenant\'s key and a tenant without keys, INVALID_ARGUMENT for bad input', async () => {
    const client = h.grpcAs('chat-gateway');
    const keyOfA = (await h.db.db!.collection('secret_views').findOne({ tenantId: tenantA }))!.secretId as string;
    expect(await grpcCode(client.call('getProviderCredential', { tenantId: tenantB, keyId: keyOfA, keyVersion: 0 }))).toMatch(/^NOT_FOUND/);
    expect(await grpcCode(client.call('getProviderCredential', { tenantId: tenantB, keyId: '', keyVersion: 0 }))).toMatch(/^NOT_FOUND/);
    expect(await grpcCode(client.call('getProviderCredential', { tenantId: tenantA, keyId: uuidv7(), keyVersion: 0 }))).toMatch(/^NOT_FOUND/);
    expect(await grpcCode(client.call('getProviderCredential', { tenantId: '', keyId: '', keyVersion: 0 }))).toMatch(/^INVALID_ARGUMENT/);
    expect(await grpcCode(client.call('getProviderCredential', { tenantId: 'a.b$c', keyId: '', keyVersion: 0 }))).toMatch(/^INVALID_ARGUMENT/);
    expect(await grpcCode(client.call('getProviderCredential', { tenantId: tenantA, keyId: 'not-a-uuid', keyVersion: 0 }))).toMatch(/^INVALID_ARGUMENT/);
  });

  it('refuses altered ciphertext, data key, or a record moved to another key (AAD binding): clear error, no plaintext, no audit', async () => {
    const client = h.grpcAs('chat-gateway');
    const secrets = h.db.db!.collection('secrets');
    const flip = (binary: unknown) => {
      const bytes = Buffer.from((binary as { buffer: Uint8Array }).buffer);
      bytes[0] = bytes[0]! ^ 0x01;
      return bytes;
    };
    const tampers: Array<[string, (a: Record<string, unknown>, b: Record<string, unknown>) => Record<string, unknown>]> = [
      ['one ciphertext bit', (_a, b) => ({ ciphertext: flip(b.ciphertext) })],
      ['one bit of the wrapped data key', (_a, b) => ({ wrappedDek: flip(b.wrappedDek) })],
      ['the tag', (_a, b) => ({ tag: flip(b.tag) })],
      ['ciphertext of another key', (a) => ({ ciphertext: a.ciphertext, nonce: a.nonce, tag: a.tag })],
      ['the whole sealed record of another key', (a) => ({ wrappedDek: a.wrappedDek, ciphertext: a.ciphertext, nonce: a.nonce, tag: a.tag })],
    ];
    for (const [name, change] of tampers) {
      const a = await h.kv.storeProviderKey.execute({ tenantId: tenantA, provider: 'openai', label: `victim of ${name}`, apiKey: `${apiKey}-a` }, admin);
      const b = await h.kv.storeProviderKey.execute({ tenantId: tenantA, provider: 'openai', label: `tampered ${name}`, apiKey: `${apiKey}-b` }, admin);
      const docA = (await secrets.findOne({ tenantId: tenantA, secretId: a.keyId }))!;
      const docB = (await secrets.findOne({ tenantId: tenantA, secretId: b.keyId }))!;
      await secrets.updateOne({ _id: docB._id }, { $set: change(docA, docB) });
      const eventsBefore = await h.db.db!.collection('events').countDocuments({ tenantId: tenantA });
      const result = await grpcCode(client.call('getProviderCredential', { tenantId: tenantA, keyId: b.keyId, keyVersion: 0 }));
      expect([name, result]).toEqual([name, expect.stringMatching(/^FAILED_PRECONDITION: the stored provider key cannot be decrypted .*\(wrong KEK or altered data\)$/)]);
      expect(result).not.toContain(apiKey);
      expect(await h.db.db!.collection('events').countDocuments({ tenantId: tenantA })).toBe(eventsBefore);
      // The untouched key still opens.
      expect((await client.call('getProviderCredential', { tenantId: tenantA, keyId: a.keyId, keyVersion: 0 })).apiKey).toBe(`${apiKey}-a`);
    }
  });

  it('fails clearly when started with the wrong KEK for the stored data keys', async () => {
    const other = await startHarness(harnessEnv({ MONGO_DB: h.config.mongo.db, KEK_KEYS: newKek(), KAFKA_ENABLED: 'false' }));
    try {
      const keyOfA = (await h.db.db!.collection('secrets').find({ tenantId: tenantA }).sort({ createdAt: 1 }).toArray())[0]!.secretId as string;
      const result = await grpcCode(other.grpcAs('chat-gateway').call('getProviderCredential', { tenantId: tenantA, keyId: keyOfA, keyVersion: 0 }));
      expect(result).toMatch(/^FAILED_PRECONDITION: the stored provider key cannot be decrypted with the configured key-encryption keys/);
      expect(result).not.toContain(apiKey);
    } finally {
      await other.close({ keepDatabase: true });
    }
  });

  it('repairs a read model that missed its events, from the event store, idempotently', async () => {
    const tenantC = checkedTenantId(`tenant-c-${uuidv7()}`);
    const store = new EventStore(h.db);
    const viewRepo = new MongoSecretViews(h.db);
    const streams = new EventStoreSecretStreams(store, viewRepo);
    const masked = await h.kv.storeProviderKey.execute({ tenantId: tenantC, provider: 'openai', label: 'Lost', apiKey: 'sk-lost-key-12345678' }, admin);
    await h.kv.getProviderCredential.execute({ tenantId: tenantC, keyId: masked.keyId, caller: 'chat-gateway' });
    const views = h.db.db!.collection('secret_views');
    // As if the process had died between the append and the projection:
    await views.deleteOne({ tenantId: tenantC, secretId: masked.keyId });
    expect(await views.countDocuments({ tenantId: tenantC })).toBe(0);

    const decryption = await h.db.db!.collection('events').findOne({ tenantId: tenantC, type: 'key-vault.ProviderKeyDecrypted' });
    const [event] = await store.readStream(`provider-key-${masked.keyId}`, { tenantId: tenantC });
    const [decrypted] = await store.readStream(decryption!.streamId as string, { tenantId: tenantC });
    const consumedOf = (event: StoredEvent) => ({
      id: event!.id,
      type: event!.type,
      tenantId: tenantC,
      subjectId: '',
      actor: event!.actor,
      occurredAt: event!.occurredAt,
      schemaVersion: 1,
      streamId: event!.streamId,
      streamVersion: event!.version,
      payload: keyVaultV1.KeyVaultEvent.decode(event!.payload),
      topic: KEY_VAULT_TOPIC.name,
      partition: 0,
      offset: '0',
    }) as ConsumedEvent<keyVaultV1.KeyVaultEvent>;
    const consumed = consumedOf(event!);
    const handler = projectionRepairHandler(streams, viewRepo);
    await handler(consumed, {} as HandlerContext);
    await handler(consumed, {} as HandlerContext);
    let repaired = await views.find({ tenantId: tenantC }).toArray();
    expect(repaired).toHaveLength(1);
    expect(repaired[0]).toMatchObject({ secretId: masked.keyId, kind: 'provider-key', label: 'Lost', lastFour: '5678', streamVersion: 1 });
    expect(repaired[0]!.lastUsedAt ?? null).toBeNull();
    await handler(consumedOf(decrypted!), {} as HandlerContext);
    repaired = await views.find({ tenantId: tenantC }).toArray();
    expect(repaired[0]!.lastUsedAt).toEqual(decrypted!.occurredAt);

    await views.deleteMany({ tenantId: tenantC });
    await handler({ ...consumed, streamId: 'something-else' }, {} as HandlerContext);
    expect(await views.countDocuments({ tenantId: tenantC })).toBe(0);
  });

  it('decides on the read model first, and when it lags behind the stream the append fails, reloads and still gets it right', async () => {
    const tenantD = checkedTenantId(`tenant-d-${uuidv7()}`);
    const views = h.db.db!.collection('secret_views');
    const masked = await h.kv.storeProviderKey.execute({ tenantId: tenantD, provider: 'openai', label: 'Lagging', apiKey: 'sk-lagging-v1-000' }, admin);
    const atVersion1 = await views.findOne({ tenantId: tenantD, secretId: masked.keyId });
    await h.kv.rotateProviderKey.execute({ tenantId: tenantD, keyId: masked.keyId, apiKey: 'sk-lagging-v2-000' }, admin);
    // As if the process had died after appending the rotation but before projecting it:
    await views.replaceOne({ _id: atVersion1!._id }, atVersion1!);
    const rotated = await h.kv.rotateProviderKey.execute({ tenantId: tenantD, keyId: masked.keyId, apiKey: 'sk-lagging-v3-000' }, admin);
    expect(rotated.keyVersion).toBeGreaterThan(2);
    expect(rotated.versions.map((v) => v.version)).toEqual([1, 2, rotated.keyVersion]);
    const view = await views.findOne({ tenantId: tenantD, secretId: masked.keyId });
    expect(view).toMatchObject({ currentVersion: rotated.keyVersion, streamVersion: 3 });
    const current = await h.grpcAs('chat-gateway').call('getProviderCredential', { tenantId: tenantD, keyId: masked.keyId, keyVersion: 0 });
    expect(current).toMatchObject({ keyVersion: rotated.keyVersion, apiKey: 'sk-lagging-v3-000' });
    expect((await h.grpcAs('chat-gateway').call('getProviderCredential', { tenantId: tenantD, keyId: masked.keyId, keyVersion: 2 })).apiKey).toBe('sk-lagging-v2-000');
  });
});
