// Against real FerretDB and Kafka: is a person's key created once under concurrent first use and served unchanged, refused to
// other services, shredded for good (no key bytes left) on audit's SubjectPurgeRequested with one confirmation per request
// however often it is delivered, and does the access export give metadata only, to audit only?
jest.setTimeout(120_000);

import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { buildEnvelope, defineTopic, ensureTopics, toKafkaMessage, tenantId as checkedTenantId, type TenantId } from '@enclave/eventing';
import { GrpcError, GrpcStatus, uuidv7 } from '@enclave/platform';
import { auditV1, eventsV1, keyVaultV1, TOPICS } from '@enclave/proto';
import { loadInfraEnv, uniqueName, waitFor } from '@enclave/testing';
import { harnessEnv, startHarness, type Harness } from './test-support/key-vault-harness';

const AUDIT = defineTopic(TOPICS.audit.name, TOPICS.audit.codec);

async function grpcCode(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GrpcError) return error.code;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Every document of every collection in the service's database, serialised (binary as base64). */
async function dumpDatabase(h: Harness): Promise<string> {
  const out: string[] = [];
  for (const { name } of await h.db.db!.listCollections().toArray()) {
    for (const doc of await h.db.db!.collection(name).find({}).toArray()) out.push(JSON.stringify(doc, (_k, v) => (v && v._bsontype === 'Binary' ? Buffer.from(v.buffer).toString('base64') : v)));
  }
  return out.join('\n');
}

const keyForms = (key: Buffer) => [key.toString('base64'), key.toString('base64url'), key.toString('hex')];

describe('per-subject data keys', () => {
  let h: Harness;
  let producer: Producer;
  let kafka: Kafka;
  const tenant: TenantId = checkedTenantId(`tenant-${uuidv7()}`);
  const groupId = uniqueName('kv-subject');

  beforeAll(async () => {
    h = await startHarness(harnessEnv({ SUBJECT_PURGE_ENABLED: 'true', KAFKA_GROUP_ID: groupId }), { captureLogs: true });
    kafka = new Kafka({ clientId: uniqueName('kv-audit'), brokers: loadInfraEnv().kafkaBrokers, logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, [AUDIT.name]);
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await h?.close();
  });

  const get = (caller: 'auth' | 'chat-gateway' | 'audit' | 'billing', subjectId: string, create: boolean, tenantId: string = tenant) =>
    h.subjectKeysAs(caller).call('getSubjectKey', { tenantId, subjectId, create });

  async function requestPurge(subjectId: string, requestId: string, copies = 1): Promise<string[]> {
    const ids: string[] = [];
    const payload: auditV1.AuditEvent = { event: { $case: 'subjectPurgeRequested', value: { requestId, subjectId } } };
    const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SYSTEM, id: 'erasure-job', role: '' };
    const envelope = buildEnvelope(AUDIT, payload, { type: 'audit.SubjectPurgeRequested', tenantId: tenant, subjectId, actor });
    ids.push(envelope.id);
    // The same message twice (a redelivery) ...
    await producer.send({ topic: AUDIT.name, messages: [toKafkaMessage(envelope), toKafkaMessage(envelope)] });
    // ... and more copies of the request under new event ids (a re-run of audit's job).
    for (let i = 1; i < copies; i += 1) {
      const again = buildEnvelope(AUDIT, payload, { type: 'audit.SubjectPurgeRequested', tenantId: tenant, subjectId, actor });
      ids.push(again.id);
      await producer.send({ topic: AUDIT.name, messages: [toKafkaMessage(again)] });
    }
    return ids;
  }

  const events = (type: string, subjectId: string) => h.db.collection('events').find({ tenantId: tenant, type: `key-vault.${type}`, subjectId }).toArray();
  const processed = (ids: string[]) => h.db.collection('processed_events').countDocuments({ consumer: groupId, eventId: { $in: ids } });

  it('creates ONE key when several services use it first at the same time, then serves the same key', async () => {
    const subject = uuidv7();
    const answers = await Promise.all(
      (['auth', 'chat-gateway', 'audit', 'auth', 'chat-gateway', 'audit'] as const).map((caller) => get(caller, subject, true)),
    );
    const [first] = answers;
    expect(first!.key).toHaveLength(32);
    for (const a of answers) {
      expect(a.keyId).toBe(first!.keyId);
      expect(Buffer.from(a.key).equals(Buffer.from(first!.key))).toBe(true);
    }
    const again = await get('chat-gateway', subject, false);
    expect(again.keyId).toBe(first!.keyId);
    expect(Buffer.from(again.key).equals(Buffer.from(first!.key))).toBe(true);
    expect(await h.db.collection('subject_keys').countDocuments({ tenantId: tenant, subjectId: subject })).toBe(1);
    const created = await events('SubjectKeyCreated', subject);
    expect(created).toHaveLength(1);
    expect(keyVaultV1.KeyVaultEvent.decode(created[0]!.payload.buffer).event).toEqual({ $case: 'subjectKeyCreated', value: { subjectId: subject, keyId: first!.keyId } });
    // Stored only wrapped: the raw key is nowhere in the database or the logs.
    const dump = await dumpDatabase(h);
    const row = await h.db.collection('subject_keys').findOne({ tenantId: tenant, subjectId: subject });
    expect(dump).toContain(Buffer.from(row!.wrappedKey.buffer).toString('base64')); // the scan does see binary fields
    for (const form of keyForms(Buffer.from(first!.key))) {
      expect(dump).not.toContain(form);
      expect(h.logs.join('\n')).not.toContain(form);
    }
  });

  it('answers NOT_FOUND without create, and INVALID_ARGUMENT for bad ids', async () => {
    expect(await grpcCode(get('auth', uuidv7(), false))).toBe(GrpcStatus.NOT_FOUND);
    expect(await grpcCode(get('auth', '', true))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(await grpcCode(get('auth', 'a.b', true))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(await grpcCode(get('auth', uuidv7(), true, ''))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(await grpcCode(get('auth', uuidv7(), true, '$bad'))).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('refuses other services (billing) with PERMISSION_DENIED and creates nothing', async () => {
    const subject = uuidv7();
    expect(await grpcCode(get('billing', subject, true))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(await h.db.collection('subject_keys').countDocuments({ tenantId: tenant, subjectId: subject })).toBe(0);
  });

  it('exports the key metadata and the secrets the person stored (metadata only), to audit only', async () => {
    const minted = h.sessions.mint({ tenantId: tenant, role: 'admin' });
    const subject = minted.session.subjectId;
    const apiKey = `sk-${uuidv7()}-secretvalue`;
    const stored = await h.http('POST', `/v1/tenants/${tenant}/provider-keys`, { token: minted.token, body: { provider: 'openai', label: 'Team key', apiKey } });
    expect(stored.status).toBe(201);
    const other = h.sessions.mint({ tenantId: tenant, role: 'admin' });
    expect((await h.http('POST', `/v1/tenants/${tenant}/provider-keys`, { token: other.token, body: { provider: 'openai', label: 'Not theirs', apiKey: `sk-${uuidv7()}` } })).status).toBe(201);
    const { keyId } = await get('auth', subject, true);

    const res = await h.subjectDataAs('audit').call('exportSubjectData', { tenantId: tenant, subjectId: subject });
    expect(res.service).toBe('key-vault');
    const doc = JSON.parse(res.documentJson);
    expect(doc).toEqual({
      subjectId: subject,
      tenantId: tenant,
      subjectKey: { keyId, createdAt: expect.any(String), shreddedAt: null },
      secretsStored: [{ secretId: stored.body.keyId, kind: 'provider-key', provider: 'openai', label: 'Team key', createdAt: expect.any(String), rotatedAt: null, deletedAt: null }],
    });
    expect(res.documentJson).not.toContain(apiKey);
    expect(res.documentJson).not.toContain(apiKey.slice(-4));

    const nobody = JSON.parse((await h.subjectDataAs('audit').call('exportSubjectData', { tenantId: tenant, subjectId: uuidv7() })).documentJson);
    expect(nobody.subjectKey).toBeNull();
    expect(nobody.secretsStored).toEqual([]);
    for (const caller of ['auth', 'chat-gateway', 'billing'] as const) {
      expect(await grpcCode(h.subjectDataAs(caller).call('exportSubjectData', { tenantId: tenant, subjectId: subject }))).toBe(GrpcStatus.PERMISSION_DENIED);
    }
    expect(await grpcCode(h.subjectDataAs('audit').call('exportSubjectData', { tenantId: tenant, subjectId: '' }))).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('shreds the key on SubjectPurgeRequested: never served or re-created, no key bytes left, one confirmation per request', async () => {
    const subject = uuidv7();
    const { keyId, key } = await get('auth', subject, true);
    const requestId = uuidv7();
    const ids = await requestPurge(subject, requestId, 2);
    await waitFor(async () => (await processed(ids)) === ids.length, { timeoutMs: 60_000, description: 'both purge deliveries to be handled' });

    expect(await grpcCode(get('auth', subject, false))).toBe(GrpcStatus.FAILED_PRECONDITION);
    const refused = get('chat-gateway', subject, true).catch((e: unknown) => e);
    expect(await refused).toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION, message: expect.stringContaining('subject key shredded') });

    const shredded = await events('SubjectKeyShredded', subject);
    const purged = await events('SubjectDataPurged', subject);
    expect(shredded).toHaveLength(1);
    expect(purged).toHaveLength(1);
    expect(keyVaultV1.KeyVaultEvent.decode(shredded[0]!.payload.buffer).event).toEqual({ $case: 'subjectKeyShredded', value: { subjectId: subject, keyId, requestId } });
    expect(keyVaultV1.KeyVaultEvent.decode(purged[0]!.payload.buffer).event).toEqual({ $case: 'subjectDataPurged', value: { requestId, subjectId: subject, recordsDeleted: 1 } });
    expect(purged[0]!.actor).toMatchObject({ kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'key-vault' });
    expect(shredded[0]!.seq).toBeLessThan(purged[0]!.seq);

    const tombstone = await h.db.collection('subject_keys').findOne({ tenantId: tenant, subjectId: subject });
    expect(tombstone).toMatchObject({ keyId, wrappedKey: null, shredRequestId: requestId });
    expect(tombstone!.shreddedAt).toBeInstanceOf(Date);
    const dump = await dumpDatabase(h);
    for (const form of keyForms(Buffer.from(key))) expect(dump).not.toContain(form);

    const exported = JSON.parse((await h.subjectDataAs('audit').call('exportSubjectData', { tenantId: tenant, subjectId: subject })).documentJson);
    expect(exported.subjectKey).toEqual({ keyId, createdAt: expect.any(String), shreddedAt: expect.any(String) });
  });

  it('leaves a tombstone and confirms for a person who never had a key', async () => {
    const subject = uuidv7();
    const requestId = uuidv7();
    const ids = await requestPurge(subject, requestId);
    await waitFor(async () => (await processed(ids)) === 1, { timeoutMs: 60_000, description: 'the purge to be handled' });
    const purged = await events('SubjectDataPurged', subject);
    expect(purged).toHaveLength(1);
    expect(keyVaultV1.KeyVaultEvent.decode(purged[0]!.payload.buffer).event).toEqual({ $case: 'subjectDataPurged', value: { requestId, subjectId: subject, recordsDeleted: 0 } });
    expect(await events('SubjectKeyShredded', subject)).toHaveLength(0);
    expect(await grpcCode(get('auth', subject, true))).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(await h.db.collection('subject_keys').countDocuments({ tenantId: tenant, subjectId: subject })).toBe(1);
  });
});

describe('re-wrapping subject keys under a new KEK version', () => {
  it('moves subject keys to the active KEK with the secrets, and they still open after the old KEK is dropped', async () => {
    const k1 = randomBytes(32).toString('base64');
    const k2 = randomBytes(32).toString('base64');
    const db = uniqueName('kv-subject-rewrap');
    const env = (keys: Record<string, string>) => harnessEnv({ MONGO_DB: db, KAFKA_ENABLED: 'false', KEK_KEYS: JSON.stringify(keys) });
    const tenant = `tenant-${uuidv7()}`;
    const subject = uuidv7();

    let h = await startHarness(env({ '1': k1 }));
    const original = await h.subjectKeysAs('auth').call('getSubjectKey', { tenantId: tenant, subjectId: subject, create: true });
    await h.close({ keepDatabase: true });

    h = await startHarness(env({ '1': k1, '2': k2 }));
    expect((await h.kv.rewrap.status()).liveDataKeysByKekVersion).toEqual({ '1': 1 });
    const report = await h.kv.rewrap.execute({ trigger: 'operator-cli' });
    expect(report).toMatchObject({ rewrapped: 1, failed: 0, remaining: 0, complete: true });
    const journal = await h.db.collection('events').find({ tenantId: tenant, type: 'key-vault.DataKeysRewrapped' }).toArray();
    expect(keyVaultV1.KeyVaultEvent.decode(journal[0]!.payload.buffer).event).toEqual({
      $case: 'dataKeysRewrapped',
      value: { toKekVersion: 2, trigger: 'operator-cli', dataKeys: [{ secretId: original.keyId, kind: 'subject-key', version: 1, fromKekVersion: 1 }] },
    });
    await h.close({ keepDatabase: true });

    h = await startHarness(env({ '2': k2 }));
    try {
      const after = await h.subjectKeysAs('chat-gateway').call('getSubjectKey', { tenantId: tenant, subjectId: subject, create: false });
      expect(after.keyId).toBe(original.keyId);
      expect(Buffer.from(after.key).equals(Buffer.from(original.key))).toBe(true);
    } finally {
      await h.close();
    }
  });
});
