// Against real FerretDB and Kafka: does rotation keep the old version usable only through its grace period, does retirement and
// deletion crypto-shred (nothing in the database opens again, even with the KEK), do only auth's identity get tenant secrets, and
// does every step reach the topic as an audited event (who, which secret, which version, never the value)?
jest.setTimeout(90_000);

import { decodeEnvelope, tenantId as checkedTenantId } from '@enclave/eventing';
import { GrpcError, uuidv7 } from '@enclave/platform';
import { eventsV1, type keyVaultV1 } from '@enclave/proto';
import { waitFor } from '@enclave/testing';
import mongoose from 'mongoose';
import { dataKeyAad, secretAad } from './domain/crypto/aad';
import { open } from './domain/crypto/sealed-box';
import { KEY_VAULT_TOPIC } from './infrastructure/events/key-vault-topic';
import { harnessEnv, startHarness, topicReader, type Harness } from './test-support/key-vault-harness';

const HOUR = 3_600_000;
const apiKeyV1 = `sk-first-${uuidv7().replace(/-/g, '')}AAAA`;
const apiKeyV2 = `sk-second-${uuidv7().replace(/-/g, '')}BBBB`;
const smtpV1 = `smtp password ${uuidv7()}`;
const smtpV2 = `smtp password two ${uuidv7()}`;
const oidcSecret = `oidc-${uuidv7()}`;

async function grpcCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GrpcError) return `${error.codeName}: ${error.message}`;
    throw error;
  }
  return 'OK';
}

describe('secret lifecycle against real infrastructure', () => {
  let h: Harness;
  let now = Date.parse('2030-01-01T00:00:00Z');
  const tenant = checkedTenantId(`tenant-${uuidv7()}`);
  const otherTenant = checkedTenantId(`tenant-${uuidv7()}`);
  let admin: { token: string; subjectId: string };
  let keyId = '';
  let smtpId = '';
  let oidcId = '';
  const path = `/v1/tenants/${tenant}`;

  beforeAll(async () => {
    h = await startHarness(harnessEnv({ ROTATION_GRACE_MS: String(24 * HOUR), RETIREMENT_SWEEP_INTERVAL_MS: '100' }), { clock: () => new Date(now) });
    const minted = h.sessions.mint({ tenantId: tenant, role: 'admin' });
    admin = { token: minted.token, subjectId: minted.session.subjectId };
  });
  afterAll(async () => {
    await h?.close();
  });

  const credential = (version = 0, id = keyId) => h.grpcAs('chat-gateway').call('getProviderCredential', { tenantId: tenant, keyId: id, keyVersion: version });

  it('rotation: the new version is current, the previous one is served during the grace period', async () => {
    const stored = await h.http('POST', `${path}/provider-keys`, { token: admin.token, body: { provider: 'openai', label: 'Main', apiKey: apiKeyV1 } });
    keyId = stored.body.keyId;
    const rotatedAt = now;
    const rotated = await h.http('POST', `${path}/provider-keys/${keyId}/rotate`, { token: admin.token, body: { apiKey: apiKeyV2 } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.versions[0].retiresAt).toBe(new Date(rotatedAt + 24 * HOUR).toISOString());

    expect(await credential()).toMatchObject({ keyId, keyVersion: 2, apiKey: apiKeyV2, provider: 'openai' });
    expect(await credential(1)).toMatchObject({ keyId, keyVersion: 1, apiKey: apiKeyV1 });
    now += 23 * HOUR;
    expect(await credential(1)).toMatchObject({ keyVersion: 1, apiKey: apiKeyV1 });
    expect(await grpcCode(credential(3))).toMatch(/^NOT_FOUND: version 3 not found/);
  });

  it('retirement: after the grace period the old version is refused at once, then shredded and recorded by the sweeper', async () => {
    now += 2 * HOUR;
    expect(await grpcCode(credential(1))).toBe('FAILED_PRECONDITION: provider key version 1 is retired and can no longer be decrypted');
    const secrets = h.db.db!.collection('secrets');
    const v1 = await waitFor(() => secrets.findOne({ tenantId: tenant, secretId: keyId, version: 1, shreddedAt: { $ne: null } }), {
      description: 'the sweeper to shred version 1',
    });
    expect(v1.wrappedDek).toBeNull();
    expect(await credential()).toMatchObject({ keyVersion: 2, apiKey: apiKeyV2 });
    // The sweeper shreds first and records the retirement after; the view follows that event.
    const view = await waitFor(
      async () => {
        const r = await h.http('GET', `${path}/provider-keys`, { token: admin.token });
        return r.body.keys[0].versions[0].retiredAt ? r : undefined;
      },
      { description: 'the retirement in the masked view' },
    );
    expect(view.body.keys[0].versions[0]).toMatchObject({ version: 1, retiredAt: expect.any(String) });
    expect(await grpcCode(credential(1))).toMatch(/^FAILED_PRECONDITION: .*version 1 is retired/);
  });

  it('delete: crypto-shredded, gRPC answers NOT_FOUND, and no stored data key opens the ciphertext, even with the KEK', async () => {
    const secrets = h.db.db!.collection('secrets');
    // A bystander key of the same tenant: its data key stays, and must not open the deleted one.
    const bystander = await h.http('POST', `${path}/provider-keys`, { token: admin.token, body: { provider: 'xai', label: 'Other', apiKey: `xai-${uuidv7()}` } });
    const captured = await secrets.find({ tenantId: tenant, secretId: keyId }).toArray();
    expect(captured).toHaveLength(2);
    expect((await h.http('DELETE', `${path}/provider-keys/${keyId}`, { token: admin.token })).status).toBe(204);

    expect(await grpcCode(credential())).toMatch(/^NOT_FOUND/);
    expect(await grpcCode(credential(2))).toMatch(/^NOT_FOUND/);
    expect(await credential(0, bystander.body.keyId)).toMatchObject({ provider: 'xai' });
    expect((await h.http('DELETE', `${path}/provider-keys/${bystander.body.keyId}`, { token: admin.token })).status).toBe(204);
    expect(await grpcCode(h.grpcAs('chat-gateway').call('getProviderCredential', { tenantId: tenant, keyId: '', keyVersion: 0 }))).toMatch(/^NOT_FOUND/);
    await h.http('POST', `${path}/provider-keys`, { token: admin.token, body: { provider: 'xai', label: 'Kept', apiKey: `xai-${uuidv7()}` } });

    // An attacker with the database and the KEK: every data key still stored, every AAD it could belong to.
    const after = await secrets.find({ secretId: keyId }).toArray();
    expect(after.every((doc) => doc.wrappedDek === null && doc.shreddedAt instanceof Date)).toBe(true);
    const bin = (value: unknown) => Buffer.from((value as { buffer: Uint8Array }).buffer);
    const everyWrapped = await secrets.find({ wrappedDek: { $ne: null } }).toArray();
    let attempts = 0;
    for (const target of captured) {
      const box = { nonce: bin(target.nonce), ciphertext: bin(target.ciphertext), tag: bin(target.tag) };
      for (const candidate of everyWrapped) {
        let dek: Buffer;
        try {
          dek = await h.kv.kek.unwrap(bin(candidate.wrappedDek), candidate.kekVersion as number, dataKeyAad(candidate.tenantId, candidate.kind, candidate.secretId, candidate.version));
        } catch {
          continue;
        }
        attempts += 1;
        expect(() => open(dek, box, secretAad(tenant, 'provider-key', keyId, target.version as number))).toThrow(/could not be decrypted/);
      }
    }
    expect(everyWrapped.length).toBeGreaterThan(0);
    expect(attempts).toBe(everyWrapped.length * captured.length);
    for (const doc of await rawDocs(h)) for (const value of [apiKeyV1, apiKeyV2]) expect(doc.includes(Buffer.from(value))).toBe(false);
  });

  it('tenant secrets: only auth may read them, per kind and tenant, with grace on rotation', async () => {
    smtpId = (await h.http('POST', `${path}/secrets/smtp-password`, { token: admin.token, body: { label: 'Relay', value: smtpV1 } })).body.secretId;
    oidcId = (await h.http('POST', `${path}/secrets/oidc-client-secret`, { token: admin.token, body: { label: 'SSO', value: oidcSecret } })).body.secretId;
    const auth = h.tenantSecretsAs('auth');
    expect(await auth.call('getSmtpPassword', { tenantId: tenant, secretId: '', version: 0 })).toEqual({ secretId: smtpId, version: 1, password: smtpV1 });
    expect(await auth.call('getOidcClientSecret', { tenantId: tenant, secretId: oidcId, version: 0 })).toEqual({ secretId: oidcId, version: 1, clientSecret: oidcSecret });

    for (const caller of ['chat-gateway', 'billing'] as const) {
      expect(await grpcCode(h.tenantSecretsAs(caller).call('getSmtpPassword', { tenantId: tenant, secretId: '', version: 0 }))).toMatch(/^PERMISSION_DENIED/);
      expect(await grpcCode(h.tenantSecretsAs(caller).call('getOidcClientSecret', { tenantId: tenant, secretId: '', version: 0 }))).toMatch(/^PERMISSION_DENIED/);
    }
    expect(await grpcCode(h.grpcAs('auth').call('getProviderCredential', { tenantId: tenant, keyId: '', keyVersion: 0 }))).toMatch(/^PERMISSION_DENIED/);
    expect(await grpcCode(auth.call('getSmtpPassword', { tenantId: otherTenant, secretId: smtpId, version: 0 }))).toMatch(/^NOT_FOUND/);
    expect(await grpcCode(auth.call('getSmtpPassword', { tenantId: otherTenant, secretId: '', version: 0 }))).toMatch(/^NOT_FOUND/);
    expect(await grpcCode(auth.call('getOidcClientSecret', { tenantId: tenant, secretId: smtpId, version: 0 }))).toMatch(/^NOT_FOUND/);
    expect(await grpcCode(auth.call('getSmtpPassword', { tenantId: tenant, secretId: 'nope', version: 0 }))).toMatch(/^INVALID_ARGUMENT/);
    expect(await grpcCode(auth.call('getSmtpPassword', { tenantId: tenant, secretId: '', version: -1 }))).toMatch(/^INVALID_ARGUMENT/);

    await h.http('POST', `${path}/secrets/smtp-password/${smtpId}/rotate`, { token: admin.token, body: { value: smtpV2 } });
    expect(await auth.call('getSmtpPassword', { tenantId: tenant, secretId: smtpId, version: 0 })).toMatchObject({ version: 2, password: smtpV2 });
    expect(await auth.call('getSmtpPassword', { tenantId: tenant, secretId: smtpId, version: 1 })).toMatchObject({ version: 1, password: smtpV1 });
    now += 25 * HOUR;
    expect(await grpcCode(auth.call('getSmtpPassword', { tenantId: tenant, secretId: smtpId, version: 1 }))).toMatch(/^FAILED_PRECONDITION: SMTP password version 1 is retired/);

    expect((await h.http('DELETE', `${path}/secrets/oidc-client-secret/${oidcId}`, { token: admin.token })).status).toBe(204);
    expect(await grpcCode(auth.call('getOidcClientSecret', { tenantId: tenant, secretId: oidcId, version: 0 }))).toMatch(/^NOT_FOUND/);
  });

  it('every decryption and management action is an event on enclave.key-vault.events.v1: who, which secret, which version, never the value', async () => {
    const reader = await topicReader(tenant);
    try {
      const expected = [
        'ProviderKeyStored', 'ProviderKeyRotated', 'ProviderKeyDecrypted', 'ProviderKeyVersionRetired', 'ProviderKeyDeleted',
        'TenantSecretStored', 'TenantSecretDecrypted', 'TenantSecretRotated', 'TenantSecretVersionRetired', 'TenantSecretDeleted',
      ];
      const decoded = await waitFor(
        () => {
          const all = reader.seen.map((m) => decodeEnvelope(KEY_VAULT_TOPIC, m.value));
          const types = new Set(all.map((e) => e.envelope.type.replace('key-vault.', '')));
          return expected.every((t) => types.has(t)) ? all : undefined;
        },
        { timeoutMs: 30_000, description: 'every lifecycle event on the topic' },
      );
      const find = (type: string) => decoded.filter((e) => e.envelope.type === `key-vault.${type}`);
      const person = { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: admin.subjectId, role: 'admin' };
      const payload = (type: string) => find(type).map((e) => e.payload.event?.value as unknown as Record<string, unknown>);

      expect(find('ProviderKeyRotated')[0]!.envelope.actor).toEqual(person);
      expect(payload('ProviderKeyRotated')[0]).toMatchObject({ keyId, keyVersion: 2, previousVersion: 1, lastFour: 'BBBB' });
      expect(find('ProviderKeyVersionRetired')[0]!.envelope.actor).toEqual({ kind: eventsV1.ActorKind.ACTOR_KIND_SYSTEM, id: 'retirement', role: '' });
      expect(payload('ProviderKeyVersionRetired')).toContainEqual({ keyId, keyVersion: 1 });
      expect(find('ProviderKeyDeleted')[0]!.envelope.actor).toEqual(person);
      expect(payload('ProviderKeyDeleted')).toContainEqual({ keyId, shreddedVersions: [2] });
      expect(payload('ProviderKeyDecrypted').filter((p) => p.keyId === keyId).map((p) => p.keyVersion).sort()).toEqual([1, 1, 2, 2]);
      const smtpReads = find('TenantSecretDecrypted');
      expect(smtpReads.every((e) => e.envelope.actor?.kind === eventsV1.ActorKind.ACTOR_KIND_SERVICE && e.envelope.actor.id === 'auth')).toBe(true);
      expect(smtpReads.map((e) => (e.payload.event?.value as keyVaultV1.TenantSecretDecrypted).version).sort()).toEqual([1, 1, 1, 2]);
      expect(payload('TenantSecretDeleted')[0]).toEqual({ secretId: oidcId, kind: 'oidc-client-secret', shreddedVersions: [1] });
      expect(payload('TenantSecretStored').map((p) => p.kind).sort()).toEqual(['oidc-client-secret', 'smtp-password']);
      for (const message of reader.seen) {
        for (const value of [apiKeyV1, apiKeyV2, smtpV1, smtpV2, oidcSecret]) expect(message.value.includes(Buffer.from(value))).toBe(false);
      }
    } finally {
      await reader.stop();
    }
  });
});

async function rawDocs(h: Harness): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const { name } of await h.db.db!.listCollections().toArray()) {
    for (const doc of await h.db.db!.collection(name).find({}).toArray()) out.push(Buffer.from(mongoose.mongo.BSON.serialize(doc)));
  }
  return out;
}
