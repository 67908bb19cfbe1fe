// Against real FerretDB: does re-wrapping move every live data key to the new KEK version (operator API and CLI; bounded,
// resumable, idempotent, with decryption working throughout), record it per tenant, and can the old KEK then be removed?
jest.setTimeout(120_000);

import { randomBytes } from 'node:crypto';
import { tenantId as checkedTenantId } from '@enclave/eventing';
import { GrpcError, uuidv7 } from '@enclave/platform';
import { eventsV1, keyVaultV1 } from '@enclave/proto';
import { uniqueName } from '@enclave/testing';
import { runRewrapCli } from './cli/rewrap';
import { harnessEnv, startHarness, type Harness } from './test-support/key-vault-harness';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const operatorToken = randomBytes(32).toString('base64');
const db = uniqueName('kv-rewrap');
const env = (keys: Record<string, string>, extra: Record<string, string> = {}) =>
  harnessEnv({ MONGO_DB: db, KAFKA_ENABLED: 'false', KEK_KEYS: JSON.stringify(keys), OPERATOR_TOKEN: operatorToken, ...extra });

interface Stored {
  tenantId: string;
  kind: 'provider-key' | 'smtp-password' | 'oidc-client-secret';
  id: string;
  value: string;
}

describe('re-wrapping data keys under a new KEK version', () => {
  let h: Harness;
  const tenants = [checkedTenantId(`tenant-${uuidv7()}`), checkedTenantId(`tenant-${uuidv7()}`)];
  const stored: Stored[] = [];
  let shredded = '';

  async function readAll(harness: Harness): Promise<string[]> {
    const values: string[] = [];
    for (const s of stored) {
      if (s.kind === 'provider-key') {
        values.push((await harness.grpcAs('chat-gateway').call('getProviderCredential', { tenantId: s.tenantId, keyId: s.id, keyVersion: 0 })).apiKey);
      } else if (s.kind === 'smtp-password') {
        values.push((await harness.tenantSecretsAs('auth').call('getSmtpPassword', { tenantId: s.tenantId, secretId: s.id, version: 0 })).password);
      } else {
        values.push((await harness.tenantSecretsAs('auth').call('getOidcClientSecret', { tenantId: s.tenantId, secretId: s.id, version: 0 })).clientSecret);
      }
    }
    return values;
  }
  const admin = (path: string, options: { token?: string | null; body?: unknown } = {}) =>
    h.http(path === 'status' ? 'GET' : 'POST', path === 'status' ? '/v1/admin/kek' : '/v1/admin/kek/rewrap', {
      ...(options.body !== undefined && { body: options.body }),
      headers: options.token === null ? {} : { 'x-operator-token': options.token ?? operatorToken },
    });

  beforeAll(async () => {
    h = await startHarness(env({ '1': k1 }));
    const actor = { kind: 'person' as const, subjectId: 'subject-admin', role: 'admin' as const };
    for (const tenantId of tenants) {
      for (let i = 0; i < 3; i += 1) {
        const value = `sk-rewrap-${i}-${uuidv7()}`;
        stored.push({ tenantId, kind: 'provider-key', id: (await h.kv.storeProviderKey.execute({ tenantId, provider: 'openai', label: `k${i}`, apiKey: value }, actor)).keyId, value });
      }
      const smtp = `smtp ${uuidv7()}`;
      stored.push({ tenantId, kind: 'smtp-password', id: (await h.kv.tenantSecrets.store({ tenantId, kind: 'smtp-password', label: 'mail', value: smtp }, actor)).secretId, value: smtp });
      const oidc = `oidc-${uuidv7()}`;
      stored.push({ tenantId, kind: 'oidc-client-secret', id: (await h.kv.tenantSecrets.store({ tenantId, kind: 'oidc-client-secret', label: 'sso', value: oidc }, actor)).secretId, value: oidc });
    }
    // A rotated key (two live versions) and a deleted one (shredded: nothing to re-wrap).
    const rotated = stored[0]!;
    rotated.value = `sk-rotated-${uuidv7()}`;
    await h.kv.rotateProviderKey.execute({ tenantId: checkedTenantId(rotated.tenantId), keyId: rotated.id, apiKey: rotated.value }, actor);
    const gone = stored.splice(1, 1)[0]!;
    shredded = gone.id;
    await h.kv.lifecycle.delete({ tenantId: checkedTenantId(gone.tenantId), kind: 'provider-key', secretId: gone.id }, actor);
    await h.close({ keepDatabase: true });

    // KEK version 2 added and active; version 1 still configured.
    h = await startHarness(env({ '1': k1, '2': k2 }));
    const value = `sk-after-${uuidv7()}`;
    stored.push({ tenantId: tenants[0]!, kind: 'provider-key', id: (await h.kv.storeProviderKey.execute({ tenantId: tenants[0]!, provider: 'xai', label: 'new', apiKey: value }, actor)).keyId, value });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reports where the data keys stand', async () => {
    const res = await admin('status');
    expect(res.status).toBe(200);
    // 2 tenants × 5 secrets, +1 version of the rotated key, −1 deleted (2 versions → shredded… only its 1 version), +1 under v2.
    expect(res.body).toEqual({
      kekProvider: 'local',
      activeKekVersion: 2,
      configuredVersions: [1, 2],
      liveDataKeysByKekVersion: { '1': 10, '2': 1 },
      removableVersions: [],
      unavailableVersions: [],
    });
  });

  it('refuses callers without the operator token (401), bad bodies (400), and has no operator API without OPERATOR_TOKEN (404)', async () => {
    expect((await admin('rewrap', { token: null })).status).toBe(401);
    expect((await admin('rewrap', { token: 'x'.repeat(44) })).status).toBe(401);
    expect((await admin('status', { token: null })).status).toBe(401);
    const session = h.sessions.mint({ tenantId: tenants[0]!, role: 'owner' }).token;
    expect((await h.http('POST', '/v1/admin/kek/rewrap', { token: session, body: {} })).status).toBe(401);
    for (const body of [{ batchSize: 0 }, { maxKeys: -1 }, { batchSize: 'ten' }, { force: true }]) {
      const res = await admin('rewrap', { body });
      expect(res.status).toBe(400);
    }
    const without = await startHarness(harnessEnv({ KAFKA_ENABLED: 'false', GRPC_ENABLED: 'false' }));
    try {
      expect((await without.http('POST', '/v1/admin/kek/rewrap', { headers: { 'x-operator-token': operatorToken } })).status).toBe(404);
    } finally {
      await without.close();
    }
  });

  it('re-wraps a bounded first batch over the API while decryption keeps working, and says what remains', async () => {
    let stop = false;
    const results: string[][] = [];
    const reader = (async () => {
      do results.push(await readAll(h));
      while (!stop);
    })();
    const res = await admin('rewrap', { body: { maxKeys: 4, batchSize: 3 } });
    stop = true;
    await reader;
    expect(results.length).toBeGreaterThan(0);
    for (const values of results) expect(values).toEqual(stored.map((s) => s.value));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kekProvider: 'local', activeKekVersion: 2, scanned: 4, rewrapped: 4, skipped: 0, failed: 0, fromVersions: { '1': 4 }, remaining: 6, complete: false,
    });
  });

  it('the CLI resumes and completes; a further run (API) finds nothing to do', async () => {
    const report = await runRewrapCli(
      { MONGO_URL: h.env.MONGO_URL, MONGO_DB: db, KEK_KEYS: JSON.stringify({ '1': k1, '2': k2 }), LOG_LEVEL: 'silent' },
      { batchSize: 2 },
    );
    expect(report).toMatchObject({ activeKekVersion: 2, scanned: 6, rewrapped: 6, failed: 0, remaining: 0, complete: true });
    const again = await admin('rewrap', { body: {} });
    expect(again.body).toMatchObject({ scanned: 0, rewrapped: 0, remaining: 0, complete: true });
    expect((await admin('status')).body).toMatchObject({ liveDataKeysByKekVersion: { '2': 11 }, removableVersions: [1] });
  });

  it('recorded each batch per tenant as DataKeysRewrapped by the operator, naming secrets and versions only', async () => {
    const events = await h.db.db!.collection('events').find({ type: 'key-vault.DataKeysRewrapped' }).toArray();
    const decoded = events.map((e) => ({
      tenantId: e.tenantId as string,
      actor: e.actor,
      payload: keyVaultV1.KeyVaultEvent.decode(Buffer.from((e.payload as { buffer: Uint8Array }).buffer)).event,
    }));
    const keys = decoded.flatMap((d) => (d.payload?.$case === 'dataKeysRewrapped' ? d.payload.value.dataKeys.map((k) => ({ ...k, tenantId: d.tenantId })) : []));
    expect(keys).toHaveLength(10);
    expect(new Set(keys.map((k) => `${k.secretId}/${k.version}`)).size).toBe(10);
    expect(keys.every((k) => k.fromKekVersion === 1 && stored.some((s) => s.id === k.secretId && s.tenantId === k.tenantId))).toBe(true);
    expect(new Set(decoded.map((d) => d.payload?.$case === 'dataKeysRewrapped' && d.payload.value.trigger))).toEqual(new Set(['operator-api', 'operator-cli']));
    expect(decoded.every((d) => d.actor.kind === eventsV1.ActorKind.ACTOR_KIND_SYSTEM)).toBe(true);
    const raw = Buffer.concat(events.map((e) => Buffer.from((e.payload as { buffer: Uint8Array }).buffer)));
    for (const s of stored) expect(raw.includes(Buffer.from(s.value))).toBe(false);
  });

  it('after removing KEK version 1 from the configuration every secret still decrypts; the deleted one stays gone', async () => {
    await h.close({ keepDatabase: true });
    h = await startHarness(env({ '2': k2 }));
    expect(await readAll(h)).toEqual(stored.map((s) => s.value));
    const rotated = stored[0]!;
    expect(await h.grpcAs('chat-gateway').call('getProviderCredential', { tenantId: rotated.tenantId, keyId: rotated.id, keyVersion: 1 })).toMatchObject({ keyVersion: 1 });
    let code = 'OK';
    try {
      await h.grpcAs('chat-gateway').call('getProviderCredential', { tenantId: tenants[0]!, keyId: shredded, keyVersion: 0 });
    } catch (error) {
      code = (error as GrpcError).codeName;
    }
    expect(code).toBe('NOT_FOUND');
    expect((await admin('status')).body).toMatchObject({ configuredVersions: [2], liveDataKeysByKekVersion: { '2': 11 }, unavailableVersions: [] });
  });
});
