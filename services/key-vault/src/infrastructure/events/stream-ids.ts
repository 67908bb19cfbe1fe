import type { SecretKind } from '../../domain/secret/secret-kind';

// Stream ids of the key-vault event store. A secret's own stream holds its lifecycle; each
// decryption is a one-event stream named after the secret, so it still says which one it was;
// each re-wrap batch of a tenant is a one-event stream of its own.

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SECRET_STREAM = new RegExp(`^(provider-key|tenant-secret)-(${UUID})(-decryption-${UUID})?$`);

export type StreamFamily = 'provider-key' | 'tenant-secret';

export function familyOf(kind: SecretKind): StreamFamily {
  return kind === 'provider-key' ? 'provider-key' : 'tenant-secret';
}

export function secretStreamId(kind: SecretKind, secretId: string): string {
  return `${familyOf(kind)}-${secretId}`;
}

export function decryptionStreamId(kind: SecretKind, secretId: string, decryptionId: string): string {
  return `${secretStreamId(kind, secretId)}-decryption-${decryptionId}`;
}

export function rewrapStreamId(batchId: string): string {
  return `data-keys-rewrap-${batchId}`;
}

/** The secret a stream belongs to, or null when the stream is not a secret's. */
export function secretOfStream(streamId: string): { family: StreamFamily; secretId: string; decryption: boolean } | null {
  const match = SECRET_STREAM.exec(streamId);
  if (!match) return null;
  return { family: match[1] as StreamFamily, secretId: match[2]!, decryption: match[3] !== undefined };
}

// A person's key: SubjectKeyCreated and SubjectKeyShredded each alone in a stream named after the
// key (appended at version 0, so each happens once however often it is retried). A purge
// request's confirmation (SubjectDataPurged) is alone in a stream of the tenant and request.

export function subjectKeyCreatedStreamId(keyId: string): string {
  return `subject-key-${keyId}`;
}

export function subjectKeyShreddedStreamId(keyId: string): string {
  return `subject-key-${keyId}-shredded`;
}

export function subjectPurgeStreamId(tenantId: string, requestId: string): string {
  return `subject-purge:${tenantId}:${requestId}`;
}
