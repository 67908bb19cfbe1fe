// Does the local KEK wrap data keys so that only the right KEK version and AAD unwrap them?
import { randomBytes } from 'node:crypto';
import { dataKeyAad } from '../../domain/crypto/aad';
import { DecryptionFailed } from '../../domain/crypto/sealed-box';
import { LocalKekProvider } from './local-kek-provider';

const v1 = randomBytes(32);
const v2 = randomBytes(32);
const dek = randomBytes(32);

describe('LocalKekProvider', () => {
  const kek = new LocalKekProvider({ activeVersion: 2, keys: new Map([[1, v1], [2, v2]]) });

  it('wraps with the active version and unwraps with the recorded one', async () => {
    const { kekVersion, wrapped } = await kek.wrap(dek, dataKeyAad('t1', 1));
    expect(kekVersion).toBe(2);
    expect(wrapped.includes(dek)).toBe(false);
    expect((await kek.unwrap(wrapped, 2, dataKeyAad('t1', 1))).equals(dek)).toBe(true);
  });

  it('fails clearly under another KEK version, an unknown version, or another tenant', async () => {
    const { wrapped } = await kek.wrap(dek, dataKeyAad('t1', 1));
    await expect(kek.unwrap(wrapped, 1, dataKeyAad('t1', 1))).rejects.toThrow(DecryptionFailed);
    await expect(kek.unwrap(wrapped, 9, dataKeyAad('t1', 1))).rejects.toThrow(/version 9 is not configured/);
    await expect(kek.unwrap(wrapped, 2, dataKeyAad('t2', 1))).rejects.toThrow(DecryptionFailed);
  });

  it('fails clearly when the master key itself is different (wrong KEK)', async () => {
    const { wrapped } = await kek.wrap(dek, dataKeyAad('t1', 1));
    const other = new LocalKekProvider({ activeVersion: 2, keys: new Map([[2, randomBytes(32)]]) });
    await expect(other.unwrap(wrapped, 2, dataKeyAad('t1', 1))).rejects.toThrow(/data key could not be decrypted/);
  });
});
