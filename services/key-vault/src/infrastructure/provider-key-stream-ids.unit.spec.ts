// Which streams belong to which provider key, and which are not provider-key streams at all?
import { decryptionStreamId, keyIdOfStream, providerKeyStreamId } from './provider-key-stream-ids';

const keyId = '01a204c5-720f-744e-b5c2-2e2c8fbde7b0';
const decryptionId = '01a204c5-7777-744e-b5c2-2e2c8fbde7b0';

describe('provider key stream ids', () => {
  it('finds the key of its own stream and of its decryption streams', () => {
    expect(keyIdOfStream(providerKeyStreamId(keyId))).toBe(keyId);
    expect(keyIdOfStream(decryptionStreamId(keyId, decryptionId))).toBe(keyId);
  });

  it.each(['', 'tenant-abc', `provider-key-${keyId}-other`, 'provider-key-not-a-uuid', `x-provider-key-${keyId}`])(
    'does not claim %p',
    (streamId) => {
      expect(keyIdOfStream(streamId)).toBeNull();
    },
  );
});
