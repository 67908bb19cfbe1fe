// Do key-vault events survive the protobuf payload of enclave.key-vault.events.v1 under the right message types?
import type { StoredEvent } from '@enclave/eventing';
import { keyVaultV1 } from '@enclave/proto';
import type { DataKeysRewrapped } from '../../domain/kek/data-keys-rewrapped';
import type { SecretEvent } from '../../domain/secret/secret.events';
import { decodeSecretEvent, decodeStoredEvent, encodeKeyVaultEvent, envelopeType, KeyVaultEventDecodeError, type KeyVaultDomainEvent } from './key-vault-event-codec';

const at = new Date('2025-03-01T10:00:00Z');
const later = new Date('2025-03-02T10:00:00Z');
const pk = { secretId: 'k1', tenantId: 'tenant-a', kind: 'provider-key' as const };
const smtp = { secretId: 's1', tenantId: 'tenant-a', kind: 'smtp-password' as const };
const oidc = { secretId: 'o1', tenantId: 'tenant-a', kind: 'oidc-client-secret' as const };

function stored(payload: Uint8Array): StoredEvent {
  return { payload: Buffer.from(payload), tenantId: 'tenant-a', occurredAt: at } as StoredEvent;
}

const cases: Array<[string, KeyVaultDomainEvent]> = [
  ['key-vault.ProviderKeyStored', { type: 'SecretStored', ...pk, version: 1, provider: 'xai', label: 'Grok', lastFour: 'abcd', fingerprint: '0011223344556677', storedAt: at }],
  ['key-vault.ProviderKeyRotated', { type: 'SecretRotated', ...pk, version: 2, previousVersion: 1, lastFour: 'wxyz', fingerprint: 'ff', previousRetiresAt: later, rotatedAt: at }],
  ['key-vault.ProviderKeyVersionRetired', { type: 'SecretVersionRetired', ...pk, version: 1, retiredAt: at }],
  ['key-vault.ProviderKeyDecrypted', { type: 'SecretDecrypted', ...pk, version: 2, caller: 'chat-gateway', decryptedAt: at }],
  ['key-vault.ProviderKeyTested', { type: 'SecretTested', ...pk, version: 2, outcome: 'ok', modelCount: 3, testedAt: at }],
  ['key-vault.ProviderKeyDeleted', { type: 'SecretDeleted', ...pk, shreddedVersions: [2, 3], deletedAt: at }],
  ['key-vault.TenantSecretStored', { type: 'SecretStored', ...smtp, version: 1, provider: null, label: 'Mail', lastFour: '', fingerprint: 'aa', storedAt: at }],
  ['key-vault.TenantSecretRotated', { type: 'SecretRotated', ...oidc, version: 2, previousVersion: 1, lastFour: '', fingerprint: 'bb', previousRetiresAt: later, rotatedAt: at }],
  ['key-vault.TenantSecretVersionRetired', { type: 'SecretVersionRetired', ...oidc, version: 1, retiredAt: at }],
  ['key-vault.TenantSecretDecrypted', { type: 'SecretDecrypted', ...smtp, version: 1, caller: 'auth', decryptedAt: at }],
  ['key-vault.TenantSecretDeleted', { type: 'SecretDeleted', ...smtp, shreddedVersions: [1], deletedAt: at }],
  ['key-vault.DataKeysRewrapped', {
    type: 'DataKeysRewrapped', tenantId: 'tenant-a', toKekVersion: 2, trigger: 'operator-cli',
    dataKeys: [{ secretId: 'k1', kind: 'provider-key', version: 1, fromKekVersion: 1 }, { secretId: 's1', kind: 'smtp-password', version: 2, fromKekVersion: 1 }, { secretId: 'sk1', kind: 'subject-key', version: 1, fromKekVersion: 1 }],
  } satisfies DataKeysRewrapped],
  ['key-vault.SubjectKeyCreated', { type: 'SubjectKeyCreated', tenantId: 'tenant-a', subjectId: 'person-1', keyId: 'sk1' }],
  ['key-vault.SubjectKeyShredded', { type: 'SubjectKeyShredded', tenantId: 'tenant-a', subjectId: 'person-1', keyId: 'sk1', requestId: 'req-1' }],
  ['key-vault.SubjectDataPurged', { type: 'SubjectDataPurged', tenantId: 'tenant-a', subjectId: 'person-1', requestId: 'req-1', recordsDeleted: 1 }],
  ['key-vault.RetentionPurged', { type: 'RetentionPurged', tenantId: 'tenant-a', dataClass: 'processed_events', cutoffMs: later.getTime(), recordsDeleted: 7 }],
];

describe('key-vault event codec', () => {
  it.each(cases)('%s round-trips', (type, event) => {
    expect(envelopeType(event)).toBe(type);
    expect(decodeStoredEvent(stored(encodeKeyVaultEvent(event)))).toEqual(event);
  });

  it('puts the kind of tenant secrets on the wire, and provider keys under their own messages', () => {
    const wire = keyVaultV1.KeyVaultEvent.decode(encodeKeyVaultEvent(cases[6]![1]));
    expect(wire.event).toEqual({ $case: 'tenantSecretStored', value: { secretId: 's1', kind: 'smtp-password', version: 1, label: 'Mail', fingerprint: 'aa' } });
  });

  it('refuses an empty payload, garbage, unknown kinds and a test of a tenant secret', () => {
    expect(() => decodeStoredEvent(stored(new Uint8Array()))).toThrow(KeyVaultEventDecodeError);
    expect(() => decodeStoredEvent(stored(Buffer.from([0xff, 0xff, 0xff])))).toThrow(KeyVaultEventDecodeError);
    const unknownKind = keyVaultV1.KeyVaultEvent.encode({ event: { $case: 'tenantSecretDeleted', value: { secretId: 's', kind: 'ssh-key', shreddedVersions: [] } } }).finish();
    expect(() => decodeStoredEvent(stored(unknownKind))).toThrow(/unknown kind/);
    const tested: SecretEvent = { type: 'SecretTested', ...smtp, version: 1, outcome: 'ok', modelCount: 0, testedAt: at };
    expect(() => encodeKeyVaultEvent(tested)).toThrow(/only provider keys/);
  });

  it('never reads a re-wrap batch or a subject event as a secret stream event', () => {
    for (const [type, event] of cases.filter(([t]) => /DataKeysRewrapped|Subject|Retention/.test(t))) {
      expect(() => decodeSecretEvent(stored(encodeKeyVaultEvent(event)))).toThrow(KeyVaultEventDecodeError);
      expect(type).toMatch(/^key-vault\./);
    }
  });
});
