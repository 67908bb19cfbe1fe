// The behaviour every KekProvider must show (application/kek-provider.ts). A cloud KMS adapter
// runs the same suite against its own test keys:
//   kekProviderContract('aws-kms', async () => ({ previous, current }));
// `previous`: active version N. `current`: can unwrap N, wraps under a newer active version.
import { randomBytes } from 'node:crypto';
import type { KekProvider } from '../application/kek-provider';
import { dataKeyAad } from '../domain/crypto/aad';
import { DecryptionFailed } from '../domain/crypto/sealed-box';

export function kekProviderContract(name: string, make: () => Promise<{ previous: KekProvider; current: KekProvider }>): void {
  describe(`KekProvider contract: ${name}`, () => {
    let previous: KekProvider;
    let current: KekProvider;
    const dek = randomBytes(32);
    const aad = dataKeyAad('tenant-a', 'provider-key', '01a204c5-720f-744e-b5c2-2e2c8fbde7b0', 1);

    beforeAll(async () => {
      ({ previous, current } = await make());
    });

    it('names itself and lists its versions, the active one among them', () => {
      expect(current.name).toMatch(/^[a-z0-9-]+$/);
      expect(current.versions).toContain(current.activeVersion);
      expect(current.versions).toContain(previous.activeVersion);
      expect(current.activeVersion).not.toBe(previous.activeVersion);
      expect([...current.versions]).toEqual([...current.versions].sort((a, b) => a - b));
    });

    it('wraps under the active version, never in the clear, differently each time', async () => {
      const a = await current.wrap(dek, aad);
      const b = await current.wrap(dek, aad);
      expect(a.kekVersion).toBe(current.activeVersion);
      expect(a.wrapped.includes(dek)).toBe(false);
      expect(a.wrapped.equals(b.wrapped)).toBe(false);
      expect((await current.unwrap(a.wrapped, a.kekVersion, aad)).equals(dek)).toBe(true);
    });

    it('unwraps what an older active version wrapped (the basis of re-wrap)', async () => {
      const old = await previous.wrap(dek, aad);
      expect(old.kekVersion).toBe(previous.activeVersion);
      const plain = await current.unwrap(old.wrapped, old.kekVersion, aad);
      const rewrapped = await current.wrap(plain, aad);
      expect(rewrapped.kekVersion).toBe(current.activeVersion);
      expect((await current.unwrap(rewrapped.wrapped, rewrapped.kekVersion, aad)).equals(dek)).toBe(true);
    });

    it('fails with DecryptionFailed for another AAD, a tampered blob, the wrong or an unknown version', async () => {
      const { kekVersion, wrapped } = await current.wrap(dek, aad);
      const tampered = Buffer.from(wrapped);
      tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0x01;
      const attempts = [
        current.unwrap(wrapped, kekVersion, dataKeyAad('tenant-b', 'provider-key', '01a204c5-720f-744e-b5c2-2e2c8fbde7b0', 1)),
        current.unwrap(wrapped, kekVersion, dataKeyAad('tenant-a', 'provider-key', '01a204c5-720f-744e-b5c2-2e2c8fbde7b0', 2)),
        current.unwrap(tampered, kekVersion, aad),
        current.unwrap(wrapped, previous.activeVersion, aad),
        current.unwrap(wrapped, 999_999, aad),
        previous.unwrap(wrapped, kekVersion, aad),
      ];
      for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(DecryptionFailed);
    });

    it('handles concurrent calls', async () => {
      const keys = Array.from({ length: 16 }, () => randomBytes(32));
      const wrapped = await Promise.all(keys.map((k) => current.wrap(k, aad)));
      const back = await Promise.all(wrapped.map((w) => current.unwrap(w.wrapped, w.kekVersion, aad)));
      expect(back.every((k, i) => k.equals(keys[i]!))).toBe(true);
    });
  });
}
