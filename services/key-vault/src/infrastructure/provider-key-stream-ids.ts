// Stream ids of the key-vault event store. A key's own stream holds its lifecycle; each
// decryption is a one-event stream named after the key, so it still says which key it was.

const KEY_STREAM = /^provider-key-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(-decryption-[0-9a-f-]{36})?$/;

export function providerKeyStreamId(keyId: string): string {
  return `provider-key-${keyId}`;
}

export function decryptionStreamId(keyId: string, decryptionId: string): string {
  return `provider-key-${keyId}-decryption-${decryptionId}`;
}

/** The key a stream belongs to, or null when the stream is not a provider key's. */
export function keyIdOfStream(streamId: string): string | null {
  return KEY_STREAM.exec(streamId)?.[1] ?? null;
}
