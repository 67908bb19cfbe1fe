// Do provider-key events survive the protobuf payload of enclave.key-vault.events.v1, carrying no key material?
import type { StoredEvent } from '@enclave/eventing';
import type { ProviderKeyEvent } from '../domain/provider-key/provider-key.events';
import { decodeStoredEvent, encodeKeyVaultEvent, envelopeType, KeyVaultEventDecodeError } from './provider-key-event-codec';

const at = new Date('2025-03-01T10:00:00Z');

function stored(payload: Uint8Array): StoredEvent {
  return { payload: Buffer.from(payload), tenantId: 'tenant-a', occurredAt: at } as StoredEvent;
}

describe('provider key event codec', () => {
  const events: ProviderKeyEvent[] = [
    { type: 'ProviderKeyStored', keyId: 'k1', tenantId: 'tenant-a', keyVersion: 1, provider: 'xai', label: 'Grok', lastFour: 'abcd', fingerprint: '0011223344556677', storedAt: at },
    { type: 'ProviderKeyDecrypted', keyId: 'k1', tenantId: 'tenant-a', keyVersion: 1, caller: 'chat-gateway', decryptedAt: at },
  ];

  it.each(events)('round-trips $type', (event) => {
    expect(decodeStoredEvent(stored(encodeKeyVaultEvent(event)))).toEqual(event);
    expect(envelopeType(event)).toBe(`key-vault.${event.type}`);
  });

  it('refuses an empty payload and garbage', () => {
    expect(() => decodeStoredEvent(stored(new Uint8Array()))).toThrow(KeyVaultEventDecodeError);
    expect(() => decodeStoredEvent(stored(Buffer.from([0xff, 0xff, 0xff])))).toThrow(KeyVaultEventDecodeError);
  });
});
