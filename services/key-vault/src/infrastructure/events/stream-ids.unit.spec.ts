// Which streams belong to which secret, and which are not secret streams at all?
import { decryptionStreamId, rewrapStreamId, secretOfStream, secretStreamId } from './stream-ids';

const id = '01a204c5-720f-744e-b5c2-2e2c8fbde7b0';
const decryptionId = '01a204c5-7777-744e-b5c2-2e2c8fbde7b0';

describe('secret stream ids', () => {
  it('names provider keys and tenant secrets apart and finds the secret of each stream', () => {
    expect(secretStreamId('provider-key', id)).toBe(`provider-key-${id}`);
    expect(secretStreamId('smtp-password', id)).toBe(`tenant-secret-${id}`);
    expect(secretOfStream(secretStreamId('oidc-client-secret', id))).toEqual({ family: 'tenant-secret', secretId: id, decryption: false });
    expect(secretOfStream(decryptionStreamId('provider-key', id, decryptionId))).toEqual({ family: 'provider-key', secretId: id, decryption: true });
  });

  it.each(['', 'tenant-abc', `provider-key-${id}-other`, 'provider-key-not-a-uuid', `x-provider-key-${id}`, rewrapStreamId(id)])(
    'does not claim %p',
    (streamId) => {
      expect(secretOfStream(streamId)).toBeNull();
    },
  );
});
