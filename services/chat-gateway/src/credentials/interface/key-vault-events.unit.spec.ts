// Which key-vault events make chat-gateway drop a tenant's cached credential (and the plaintext inside its client)?
import type { DecodedEvent } from '@enclave/eventing';
import type { keyVaultV1 } from '@enclave/proto';
import { CredentialCache, type CredentialSource } from '../application/credential-cache';
import { applyKeyVaultEvent } from './key-vault-events';

type Payload = NonNullable<keyVaultV1.KeyVaultEvent['event']>;

function decoded(tenantId: string, event: Payload): DecodedEvent<keyVaultV1.KeyVaultEvent> {
  return { envelope: { tenantId }, payload: { event } } as unknown as DecodedEvent<keyVaultV1.KeyVaultEvent>;
}

describe('applyKeyVaultEvent', () => {
  let fetches: string[];
  let cache: CredentialCache;

  beforeEach(() => {
    fetches = [];
    let version = 0;
    const source: CredentialSource = {
      fetch: async (tenantId) => {
        fetches.push(tenantId);
        version += 1;
        return { keyId: 'k1', keyVersion: version, provider: 'openai', baseUrl: '', apiKey: `sk-${version}` };
      },
    };
    const unused = { relay: async () => ({ providerAnswered: false, outcome: 'upstream_error' as const, failure: undefined }) };
    cache = new CredentialCache(source, () => unused, { maxEntries: 10, ttlMs: 60_000, clock: () => 0 });
  });

  const drops: Payload[] = [
    { $case: 'providerKeyStored', value: { keyId: 'k2', keyVersion: 1, provider: 'openai', label: '', lastFour: '', fingerprint: '' } },
    { $case: 'providerKeyRotated', value: { keyId: 'k1', keyVersion: 2, previousVersion: 1, lastFour: '', fingerprint: '', previousRetiresAtMs: 0 } },
    { $case: 'providerKeyVersionRetired', value: { keyId: 'k1', keyVersion: 1 } },
    { $case: 'providerKeyDeleted', value: { keyId: 'k1', shreddedVersions: [1] } },
  ];
  it.each(drops.map((e) => [e.$case, e] as const))('%s drops the tenant\'s cached credential, and only that tenant\'s', async (_name, event) => {
    await cache.get('t1');
    await cache.get('t2');
    applyKeyVaultEvent(cache, decoded('t1', event));
    expect((await cache.get('t1')).keyVersion).toBe(3);
    expect((await cache.get('t2')).keyVersion).toBe(2);
    expect(fetches).toEqual(['t1', 't2', 't1']);
  });

  const keeps: Payload[] = [
    { $case: 'providerKeyDecrypted', value: { keyId: 'k1', keyVersion: 1, caller: 'chat-gateway' } },
    { $case: 'providerKeyTested', value: { keyId: 'k1', keyVersion: 1, outcome: 'ok', modelCount: 3 } },
    { $case: 'dataKeysRewrapped', value: { toKekVersion: 2, dataKeys: [], trigger: 'operator-api' } },
    { $case: 'tenantSecretRotated', value: { secretId: 's1', kind: 'smtp-password', version: 2, previousVersion: 1, fingerprint: '', previousRetiresAtMs: 0 } },
    { $case: 'tenantSecretDeleted', value: { secretId: 's1', kind: 'oidc-client-secret', shreddedVersions: [1] } },
    { $case: 'subjectKeyCreated', value: { subjectId: 's1', keyId: 'sk1' } },
    { $case: 'subjectKeyShredded', value: { subjectId: 's1', keyId: 'sk1', requestId: 'r1' } },
    { $case: 'subjectDataPurged', value: { requestId: 'r1', subjectId: 's1', recordsDeleted: 2 } },
    { $case: 'retentionPurged', value: { dataClass: 'x', cutoffMs: 1, recordsDeleted: 1 } },
  ];
  it.each(keeps.map((e) => [e.$case, e] as const))('%s keeps the cached credential', async (_name, event) => {
    await cache.get('t1');
    applyKeyVaultEvent(cache, decoded('t1', event));
    await cache.get('t1');
    expect(fetches).toEqual(['t1']);
  });

  it('subjectKeyShredded marks that person\'s sealing key shredded', () => {
    const shredded: string[] = [];
    applyKeyVaultEvent(cache, decoded('t1', { $case: 'subjectKeyShredded', value: { subjectId: 's1', keyId: 'sk1', requestId: 'r1' } }), {
      markShredded: (tenantId, subjectId) => void shredded.push(`${tenantId}/${subjectId}`),
    });
    expect(shredded).toEqual(['t1/s1']);
  });
});
