import { keyVaultV1 } from '@enclave/proto';
import type { StoredEvent } from '@enclave/eventing';
import type { ProviderKeyEvent } from '../domain/provider-key/provider-key.events';
import { isProvider } from '../domain/provider-key/providers';

// Domain events ↔ the protobuf payload of topic enclave.key-vault.events.v1 (KeyVaultEvent).
// Times and the tenant come from the stored envelope, not the payload.

export const EVENT_TYPE_PREFIX = 'key-vault.';

export class KeyVaultEventDecodeError extends Error {
  override readonly name = 'KeyVaultEventDecodeError';
}

/** Envelope type of a domain event, e.g. "key-vault.ProviderKeyStored". */
export function envelopeType(event: ProviderKeyEvent): string {
  return `${EVENT_TYPE_PREFIX}${event.type}`;
}

export function toProto(event: ProviderKeyEvent): keyVaultV1.KeyVaultEvent {
  switch (event.type) {
    case 'ProviderKeyStored':
      return {
        event: {
          $case: 'providerKeyStored',
          value: {
            keyId: event.keyId,
            keyVersion: event.keyVersion,
            provider: event.provider,
            label: event.label,
            lastFour: event.lastFour,
            fingerprint: event.fingerprint,
          },
        },
      };
    case 'ProviderKeyDecrypted':
      return { event: { $case: 'providerKeyDecrypted', value: { keyId: event.keyId, keyVersion: event.keyVersion, caller: event.caller } } };
    default:
      return assertNever(event);
  }
}

export function encodeKeyVaultEvent(event: ProviderKeyEvent): Uint8Array {
  return keyVaultV1.KeyVaultEvent.encode(toProto(event)).finish();
}

export interface EventContext {
  tenantId: string;
  occurredAt: Date;
}

export function fromProto(message: keyVaultV1.KeyVaultEvent, ctx: EventContext): ProviderKeyEvent {
  const event = message.event;
  if (!event) throw new KeyVaultEventDecodeError('key-vault event has no payload');
  switch (event.$case) {
    case 'providerKeyStored': {
      const v = event.value;
      if (!isProvider(v.provider)) throw new KeyVaultEventDecodeError('ProviderKeyStored carries an unknown provider');
      return {
        type: 'ProviderKeyStored',
        keyId: v.keyId,
        tenantId: ctx.tenantId,
        keyVersion: v.keyVersion,
        provider: v.provider,
        label: v.label,
        lastFour: v.lastFour,
        fingerprint: v.fingerprint,
        storedAt: ctx.occurredAt,
      };
    }
    case 'providerKeyDecrypted':
      return {
        type: 'ProviderKeyDecrypted',
        keyId: event.value.keyId,
        tenantId: ctx.tenantId,
        keyVersion: event.value.keyVersion,
        caller: event.value.caller,
        decryptedAt: ctx.occurredAt,
      };
    default:
      return assertNever(event);
  }
}

export function decodeStoredEvent(stored: StoredEvent): ProviderKeyEvent {
  let message: keyVaultV1.KeyVaultEvent;
  try {
    message = keyVaultV1.KeyVaultEvent.decode(stored.payload);
  } catch {
    throw new KeyVaultEventDecodeError('payload is not a key_vault.v1.KeyVaultEvent');
  }
  return fromProto(message, { tenantId: stored.tenantId, occurredAt: stored.occurredAt });
}

function assertNever(value: never): never {
  throw new KeyVaultEventDecodeError(`unhandled key-vault event: ${JSON.stringify(value)}`);
}
