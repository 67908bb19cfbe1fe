// Does the local KEK keep the KekProvider contract, and fail clearly under a different master key?
import { randomBytes } from 'node:crypto';
import { dataKeyAad } from '../../domain/crypto/aad';
import { kekProviderContract } from '../../test-support/kek-provider-contract';
import { LocalKekProvider } from './local-kek-provider';

const v1 = randomBytes(32);
const v2 = randomBytes(32);

kekProviderContract('local', async () => ({
  previous: new LocalKekProvider({ activeVersion: 1, keys: new Map([[1, v1]]) }),
  current: new LocalKekProvider({ activeVersion: 2, keys: new Map([[2, v2], [1, v1]]) }),
}));

describe('LocalKekProvider', () => {
  const aad = dataKeyAad('t1', 'provider-key', 'k1', 1);

  it('names the missing version when asked to unwrap with one that is not configured', async () => {
    const kek = new LocalKekProvider({ activeVersion: 2, keys: new Map([[2, v2]]) });
    const { wrapped } = await kek.wrap(randomBytes(32), aad);
    await expect(kek.unwrap(wrapped, 9, aad)).rejects.toThrow(/version 9 is not configured/);
  });

  it('fails clearly when the master key itself is different (wrong KEK)', async () => {
    const kek = new LocalKekProvider({ activeVersion: 2, keys: new Map([[2, v2]]) });
    const { wrapped } = await kek.wrap(randomBytes(32), aad);
    const other = new LocalKekProvider({ activeVersion: 2, keys: new Map([[2, randomBytes(32)]]) });
    await expect(other.unwrap(wrapped, 2, aad)).rejects.toThrow(/data key could not be decrypted/);
  });
});
