import type { Provider } from './providers';
import type { ProviderKeyDecrypted, ProviderKeyEvent, ProviderKeyStored } from './provider-key.events';

// One provider key as an aggregate: stored once, then every decryption is recorded.
// Rotation, retirement and crypto-shredding become further commands and events here.

export interface ProviderKeyState {
  keyId: string;
  tenantId: string;
  provider: Provider;
  label: string;
  lastFour: string;
  fingerprint: string;
  /** The version new decryptions use (the latest stored). */
  currentVersion: number;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type ProviderKeyCommand =
  | {
      type: 'StoreProviderKey';
      keyId: string;
      tenantId: string;
      provider: Provider;
      label: string;
      lastFour: string;
      fingerprint: string;
      now: Date;
    }
  | { type: 'RecordDecryption'; keyId: string; tenantId: string; keyVersion: number; caller: string; now: Date };

export class ProviderKeyAlreadyExists extends Error {
  override readonly name = 'ProviderKeyAlreadyExists';
  constructor() {
    super('a provider key with this id already exists');
  }
}

export class ProviderKeyNotFound extends Error {
  override readonly name = 'ProviderKeyNotFound';
  constructor() {
    super('provider key not found');
  }
}

export const initialProviderKeyState: ProviderKeyState | null = null;

export function decide(command: ProviderKeyCommand, state: ProviderKeyState | null): ProviderKeyEvent[] {
  switch (command.type) {
    case 'StoreProviderKey': {
      if (state !== null) throw new ProviderKeyAlreadyExists();
      const stored: ProviderKeyStored = {
        type: 'ProviderKeyStored',
        keyId: command.keyId,
        tenantId: command.tenantId,
        keyVersion: 1,
        provider: command.provider,
        label: command.label,
        lastFour: command.lastFour,
        fingerprint: command.fingerprint,
        storedAt: command.now,
      };
      return [stored];
    }
    case 'RecordDecryption': {
      if (state === null || state.tenantId !== command.tenantId) throw new ProviderKeyNotFound();
      if (command.keyVersion < 1 || command.keyVersion > state.currentVersion) throw new ProviderKeyNotFound();
      const decrypted: ProviderKeyDecrypted = {
        type: 'ProviderKeyDecrypted',
        keyId: state.keyId,
        tenantId: state.tenantId,
        keyVersion: command.keyVersion,
        caller: command.caller,
        decryptedAt: command.now,
      };
      return [decrypted];
    }
    default:
      return assertNever(command);
  }
}

export function evolve(state: ProviderKeyState | null, event: ProviderKeyEvent): ProviderKeyState | null {
  switch (event.type) {
    case 'ProviderKeyStored':
      return {
        keyId: event.keyId,
        tenantId: event.tenantId,
        provider: event.provider,
        label: event.label,
        lastFour: event.lastFour,
        fingerprint: event.fingerprint,
        currentVersion: event.keyVersion,
        createdAt: event.storedAt,
        lastUsedAt: null,
      };
    case 'ProviderKeyDecrypted':
      if (state === null) return state;
      return { ...state, lastUsedAt: event.decryptedAt };
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}
