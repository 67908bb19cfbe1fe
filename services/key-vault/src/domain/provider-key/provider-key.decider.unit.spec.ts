// Given a provider key's history, which events does each command produce, and which state follows?
import {
  decide,
  evolve,
  ProviderKeyAlreadyExists,
  ProviderKeyNotFound,
  type ProviderKeyCommand,
  type ProviderKeyState,
} from './provider-key.decider';
import type { ProviderKeyEvent } from './provider-key.events';

const t0 = new Date('2025-01-01T00:00:00Z');
const t1 = new Date('2025-01-02T00:00:00Z');

const store: ProviderKeyCommand = {
  type: 'StoreProviderKey',
  keyId: 'k1',
  tenantId: 'tenant-a',
  provider: 'openai',
  label: 'Main',
  lastFour: '1234',
  fingerprint: '0123456789abcdef',
  now: t0,
};

function given(events: ProviderKeyEvent[]): ProviderKeyState | null {
  return events.reduce(evolve, null as ProviderKeyState | null);
}

describe('provider key decider', () => {
  it('stores a new key as version 1', () => {
    const events = decide(store, given([]));
    expect(events).toEqual([
      {
        type: 'ProviderKeyStored',
        keyId: 'k1',
        tenantId: 'tenant-a',
        keyVersion: 1,
        provider: 'openai',
        label: 'Main',
        lastFour: '1234',
        fingerprint: '0123456789abcdef',
        storedAt: t0,
      },
    ]);
    expect(given(events)).toEqual({
      keyId: 'k1',
      tenantId: 'tenant-a',
      provider: 'openai',
      label: 'Main',
      lastFour: '1234',
      fingerprint: '0123456789abcdef',
      currentVersion: 1,
      createdAt: t0,
      lastUsedAt: null,
    });
  });

  it('refuses to store the same key id twice', () => {
    expect(() => decide(store, given(decide(store, null)))).toThrow(ProviderKeyAlreadyExists);
  });

  it('records a decryption by a caller and moves lastUsedAt', () => {
    const history = decide(store, null);
    const events = decide(
      { type: 'RecordDecryption', keyId: 'k1', tenantId: 'tenant-a', keyVersion: 1, caller: 'chat-gateway', now: t1 },
      given(history),
    );
    expect(events).toEqual([
      { type: 'ProviderKeyDecrypted', keyId: 'k1', tenantId: 'tenant-a', keyVersion: 1, caller: 'chat-gateway', decryptedAt: t1 },
    ]);
    expect(given([...history, ...events])?.lastUsedAt).toEqual(t1);
  });

  it.each([
    ['no such key', [] as ProviderKeyEvent[], 'tenant-a', 1],
    ['another tenant', decide(store, null), 'tenant-b', 1],
    ['unknown version', decide(store, null), 'tenant-a', 2],
  ])('refuses a decryption record for %s', (_name, history, tenantId, keyVersion) => {
    expect(() =>
      decide({ type: 'RecordDecryption', keyId: 'k1', tenantId, keyVersion, caller: 'chat-gateway', now: t1 }, given(history)),
    ).toThrow(ProviderKeyNotFound);
  });
});
