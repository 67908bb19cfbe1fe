import { keyVaultV1 } from '@enclave/proto';
import type { StoredEvent } from '@enclave/eventing';
import { isDataKeyKind, type DataKeysRewrapped } from '../../domain/kek/data-keys-rewrapped';
import { isTestOutcome } from '../../domain/provider-key/connection-test';
import { isProvider } from '../../domain/provider-key/providers';
import { isTenantSecretKind, type TenantSecretKind } from '../../domain/secret/secret-kind';
import type { SecretEvent } from '../../domain/secret/secret.events';
import { isPrivacyEvent, type PrivacyEvent } from '../../domain/subject-key/subject-key.events';

// Domain events ↔ the protobuf payload of topic enclave.key-vault.events.v1 (KeyVaultEvent).
// Provider keys keep their own messages (ProviderKey…); SMTP passwords and OIDC client secrets
// share TenantSecret… with a kind. Times and the tenant come from the stored envelope.

export const EVENT_TYPE_PREFIX = 'key-vault.';

export type KeyVaultDomainEvent = SecretEvent | DataKeysRewrapped | PrivacyEvent;
type Payload = NonNullable<keyVaultV1.KeyVaultEvent['event']>;

export class KeyVaultEventDecodeError extends Error {
  override readonly name = 'KeyVaultEventDecodeError';
}

/** Envelope type, e.g. "key-vault.ProviderKeyRotated" or "key-vault.TenantSecretStored". */
export function envelopeType(event: KeyVaultDomainEvent): string {
  const $case = toProto(event).event!.$case;
  return `${EVENT_TYPE_PREFIX}${$case[0]!.toUpperCase()}${$case.slice(1)}`;
}

export function encodeKeyVaultEvent(event: KeyVaultDomainEvent): Uint8Array {
  return keyVaultV1.KeyVaultEvent.encode(toProto(event)).finish();
}

export function toProto(event: KeyVaultDomainEvent): keyVaultV1.KeyVaultEvent {
  return { event: payloadOf(event) };
}

function payloadOf(e: KeyVaultDomainEvent): Payload {
  if (e.type === 'DataKeysRewrapped') {
    return { $case: 'dataKeysRewrapped', value: { toKekVersion: e.toKekVersion, dataKeys: e.dataKeys.map((k) => ({ ...k })), trigger: e.trigger } };
  }
  if (isPrivacyEvent(e)) return privacyPayloadOf(e);
  if (e.kind === 'provider-key') {
    const keyId = e.secretId;
    switch (e.type) {
      case 'SecretStored':
        return { $case: 'providerKeyStored', value: { keyId, keyVersion: e.version, provider: e.provider ?? '', label: e.label, lastFour: e.lastFour, fingerprint: e.fingerprint } };
      case 'SecretRotated':
        return { $case: 'providerKeyRotated', value: { keyId, keyVersion: e.version, previousVersion: e.previousVersion, lastFour: e.lastFour, fingerprint: e.fingerprint, previousRetiresAtMs: e.previousRetiresAt.getTime() } };
      case 'SecretVersionRetired':
        return { $case: 'providerKeyVersionRetired', value: { keyId, keyVersion: e.version } };
      case 'SecretDecrypted':
        return { $case: 'providerKeyDecrypted', value: { keyId, keyVersion: e.version, caller: e.caller } };
      case 'SecretTested':
        return { $case: 'providerKeyTested', value: { keyId, keyVersion: e.version, outcome: e.outcome, modelCount: e.modelCount } };
      case 'SecretDeleted':
        return { $case: 'providerKeyDeleted', value: { keyId, shreddedVersions: [...e.shreddedVersions] } };
      default:
        return assertNever(e);
    }
  }
  const { secretId, kind } = e;
  switch (e.type) {
    case 'SecretStored':
      return { $case: 'tenantSecretStored', value: { secretId, kind, version: e.version, label: e.label, fingerprint: e.fingerprint } };
    case 'SecretRotated':
      return { $case: 'tenantSecretRotated', value: { secretId, kind, version: e.version, previousVersion: e.previousVersion, fingerprint: e.fingerprint, previousRetiresAtMs: e.previousRetiresAt.getTime() } };
    case 'SecretVersionRetired':
      return { $case: 'tenantSecretVersionRetired', value: { secretId, kind, version: e.version } };
    case 'SecretDecrypted':
      return { $case: 'tenantSecretDecrypted', value: { secretId, kind, version: e.version, caller: e.caller } };
    case 'SecretDeleted':
      return { $case: 'tenantSecretDeleted', value: { secretId, kind, shreddedVersions: [...e.shreddedVersions] } };
    case 'SecretTested':
      throw new KeyVaultEventDecodeError('only provider keys are tested');
    default:
      return assertNever(e);
  }
}

function privacyPayloadOf(e: PrivacyEvent): Payload {
  switch (e.type) {
    case 'SubjectKeyCreated':
      return { $case: 'subjectKeyCreated', value: { subjectId: e.subjectId, keyId: e.keyId } };
    case 'SubjectKeyShredded':
      return { $case: 'subjectKeyShredded', value: { subjectId: e.subjectId, keyId: e.keyId, requestId: e.requestId } };
    case 'SubjectDataPurged':
      return { $case: 'subjectDataPurged', value: { requestId: e.requestId, subjectId: e.subjectId, recordsDeleted: e.recordsDeleted } };
    case 'RetentionPurged':
      return { $case: 'retentionPurged', value: { dataClass: e.dataClass, cutoffMs: e.cutoffMs, recordsDeleted: e.recordsDeleted } };
    default:
      return assertNever(e);
  }
}

export interface EventContext {
  tenantId: string;
  occurredAt: Date;
}

export function fromProto(message: keyVaultV1.KeyVaultEvent, ctx: EventContext): KeyVaultDomainEvent {
  const event = message.event;
  if (!event) throw new KeyVaultEventDecodeError('key-vault event has no payload');
  const at = ctx.occurredAt;
  const tenantId = ctx.tenantId;
  const pk = (secretId: string) => ({ secretId, tenantId, kind: 'provider-key' as const });
  const ts = (secretId: string, kind: string) => ({ secretId, tenantId, kind: tenantKind(kind) });
  switch (event.$case) {
    case 'providerKeyStored': {
      const v = event.value;
      if (!isProvider(v.provider)) throw new KeyVaultEventDecodeError('ProviderKeyStored carries an unknown provider');
      return { type: 'SecretStored', ...pk(v.keyId), version: v.keyVersion, provider: v.provider, label: v.label, lastFour: v.lastFour, fingerprint: v.fingerprint, storedAt: at };
    }
    case 'providerKeyRotated': {
      const v = event.value;
      return { type: 'SecretRotated', ...pk(v.keyId), version: v.keyVersion, previousVersion: v.previousVersion, lastFour: v.lastFour, fingerprint: v.fingerprint, previousRetiresAt: new Date(v.previousRetiresAtMs), rotatedAt: at };
    }
    case 'providerKeyVersionRetired':
      return { type: 'SecretVersionRetired', ...pk(event.value.keyId), version: event.value.keyVersion, retiredAt: at };
    case 'providerKeyDecrypted':
      return { type: 'SecretDecrypted', ...pk(event.value.keyId), version: event.value.keyVersion, caller: event.value.caller, decryptedAt: at };
    case 'providerKeyTested': {
      const v = event.value;
      if (!isTestOutcome(v.outcome)) throw new KeyVaultEventDecodeError('ProviderKeyTested carries an unknown outcome');
      return { type: 'SecretTested', ...pk(v.keyId), version: v.keyVersion, outcome: v.outcome, modelCount: v.modelCount, testedAt: at };
    }
    case 'providerKeyDeleted':
      return { type: 'SecretDeleted', ...pk(event.value.keyId), shreddedVersions: [...event.value.shreddedVersions], deletedAt: at };
    case 'tenantSecretStored': {
      const v = event.value;
      return { type: 'SecretStored', ...ts(v.secretId, v.kind), version: v.version, provider: null, label: v.label, lastFour: '', fingerprint: v.fingerprint, storedAt: at };
    }
    case 'tenantSecretRotated': {
      const v = event.value;
      return { type: 'SecretRotated', ...ts(v.secretId, v.kind), version: v.version, previousVersion: v.previousVersion, lastFour: '', fingerprint: v.fingerprint, previousRetiresAt: new Date(v.previousRetiresAtMs), rotatedAt: at };
    }
    case 'tenantSecretVersionRetired':
      return { type: 'SecretVersionRetired', ...ts(event.value.secretId, event.value.kind), version: event.value.version, retiredAt: at };
    case 'tenantSecretDecrypted': {
      const v = event.value;
      return { type: 'SecretDecrypted', ...ts(v.secretId, v.kind), version: v.version, caller: v.caller, decryptedAt: at };
    }
    case 'tenantSecretDeleted':
      return { type: 'SecretDeleted', ...ts(event.value.secretId, event.value.kind), shreddedVersions: [...event.value.shreddedVersions], deletedAt: at };
    case 'dataKeysRewrapped': {
      const v = event.value;
      if (v.trigger !== 'operator-api' && v.trigger !== 'operator-cli') throw new KeyVaultEventDecodeError('DataKeysRewrapped carries an unknown trigger');
      const dataKeys = v.dataKeys.map((k) => {
        if (!isDataKeyKind(k.kind)) throw new KeyVaultEventDecodeError('DataKeysRewrapped carries an unknown kind');
        return { secretId: k.secretId, kind: k.kind, version: k.version, fromKekVersion: k.fromKekVersion };
      });
      return { type: 'DataKeysRewrapped', tenantId, toKekVersion: v.toKekVersion, dataKeys, trigger: v.trigger };
    }
    case 'subjectKeyCreated':
      return { type: 'SubjectKeyCreated', tenantId, subjectId: event.value.subjectId, keyId: event.value.keyId };
    case 'subjectKeyShredded': {
      const v = event.value;
      return { type: 'SubjectKeyShredded', tenantId, subjectId: v.subjectId, keyId: v.keyId, requestId: v.requestId };
    }
    case 'subjectDataPurged': {
      const v = event.value;
      return { type: 'SubjectDataPurged', tenantId, requestId: v.requestId, subjectId: v.subjectId, recordsDeleted: v.recordsDeleted };
    }
    case 'retentionPurged': {
      const v = event.value;
      return { type: 'RetentionPurged', tenantId, dataClass: v.dataClass, cutoffMs: v.cutoffMs, recordsDeleted: v.recordsDeleted };
    }
    default:
      return assertNever(event);
  }
}

export function decodeStoredEvent(stored: StoredEvent): KeyVaultDomainEvent {
  let message: keyVaultV1.KeyVaultEvent;
  try {
    message = keyVaultV1.KeyVaultEvent.decode(stored.payload);
  } catch {
    throw new KeyVaultEventDecodeError('payload is not a key_vault.v1.KeyVaultEvent');
  }
  return fromProto(message, { tenantId: stored.tenantId, occurredAt: stored.occurredAt });
}

/** A secret stream's event (never DataKeysRewrapped or a subject's event, which have streams of their own). */
export function decodeSecretEvent(stored: StoredEvent): SecretEvent {
  const event = decodeStoredEvent(stored);
  if (event.type === 'DataKeysRewrapped' || isPrivacyEvent(event)) throw new KeyVaultEventDecodeError(`${event.type} on a secret stream`);
  return event;
}

function tenantKind(kind: string): TenantSecretKind {
  if (!isTenantSecretKind(kind)) throw new KeyVaultEventDecodeError('tenant secret event carries an unknown kind');
  return kind;
}

function assertNever(value: never): never {
  throw new KeyVaultEventDecodeError(`unhandled key-vault event: ${JSON.stringify(value)}`);
}
