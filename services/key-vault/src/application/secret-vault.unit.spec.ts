// Does the envelope seal each version under its own data key, skip orphaned versions, and shred for good?
import { randomBytes } from 'node:crypto';
import { tenantId, type TenantId } from '@enclave/eventing';
import { ConflictError } from '@enclave/platform';
import { dataKeyAad, secretAad } from '../domain/crypto/aad';
import { DecryptionFailed, open } from '../domain/crypto/sealed-box';
import { LocalKekProvider } from '../infrastructure/kek/local-kek-provider';
import type { SealedSecretRecord, SealedSecretRepository, WrappedDataKey } from './ports';
import { DataKeyDestroyed, SecretVault } from './secret-vault';

/** The port over a Map, as the Mongo repository behaves (unique per tenant, secret, version). */
class MemoryRecords implements SealedSecretRepository {
  readonly rows = new Map<string, SealedSecretRecord>();
  private key = (t: string, s: string, v: number) => `${t}|${s}|${v}`;
  async insert(r: SealedSecretRecord) {
    if (this.rows.has(this.key(r.tenantId, r.secretId, r.version))) return false;
    this.rows.set(this.key(r.tenantId, r.secretId, r.version), { ...r });
    return true;
  }
  async get(t: TenantId, s: string, v: number) {
    return this.rows.get(this.key(t, s, v)) ?? null;
  }
  async shred(t: TenantId, s: string, versions: number[] | 'all', at: Date) {
    let n = 0;
    for (const row of this.rows.values()) {
      if (row.tenantId === t && row.secretId === s && row.shreddedAt === null && (versions === 'all' || versions.includes(row.version))) {
        row.wrappedDek = null;
        row.shreddedAt = at;
        n += 1;
      }
    }
    return n;
  }
  async wrappedUnderOtherVersions(): Promise<WrappedDataKey[]> {
    return [];
  }
  async countWrappedUnderOtherVersions() {
    return 0;
  }
  async liveDataKeysByKekVersion() {
    return {};
  }
  async replaceWrapping() {
    return false;
  }
}

const kekKey = randomBytes(32);
const kek = new LocalKekProvider({ activeVersion: 1, keys: new Map([[1, kekKey]]) });
const ref = { tenantId: tenantId('tenant-a'), kind: 'smtp-password' as const, secretId: '01a204c5-720f-744e-b5c2-2e2c8fbde7b0' };
const secret = () => Buffer.from('smtp password with spaces 42', 'utf8');

describe('SecretVault', () => {
  it('seals each version under a data key of its own and opens it again', async () => {
    const records = new MemoryRecords();
    const vault = new SecretVault(kek, records, () => new Date());
    expect(await vault.seal(ref, 1, secret())).toBe(1);
    expect(await vault.seal(ref, 2, Buffer.from('second'))).toBe(2);
    const [one, two] = [...records.rows.values()];
    expect(one!.wrappedDek!.equals(two!.wrappedDek!)).toBe(false);
    expect(one!.ciphertext.includes(secret())).toBe(false);
    expect((await vault.open(ref, 1))!.equals(secret())).toBe(true);
    expect((await vault.open(ref, 2))!.toString()).toBe('second');
    expect(await vault.open(ref, 3)).toBeNull();
  });

  it('moves to the next version number when an orphaned attempt holds the wanted one, and gives up after a few', async () => {
    const records = new MemoryRecords();
    const vault = new SecretVault(kek, records, () => new Date());
    await vault.seal(ref, 2, Buffer.from('orphan'));
    expect(await vault.seal(ref, 2, secret())).toBe(3);
    for (let v = 4; v < 8; v += 1) await vault.seal(ref, v, Buffer.from('x'));
    await expect(vault.seal(ref, 3, secret())).rejects.toThrow(ConflictError);
  });

  it('refuses a record opened under another identity (kind, tenant) with DecryptionFailed', async () => {
    const records = new MemoryRecords();
    const vault = new SecretVault(kek, records, () => new Date());
    await vault.seal(ref, 1, secret());
    await expect(vault.open({ ...ref, kind: 'oidc-client-secret' }, 1)).rejects.toThrow(DecryptionFailed);
    const row = [...records.rows.values()][0]!;
    records.rows.set(`tenant-b|${ref.secretId}|1`, { ...row, tenantId: tenantId('tenant-b') });
    await expect(vault.open({ ...ref, tenantId: tenantId('tenant-b') }, 1)).rejects.toThrow(DecryptionFailed);
  });

  it('shreds: the version can never be opened again, not even with every stored byte and the KEK', async () => {
    const records = new MemoryRecords();
    const vault = new SecretVault(kek, records, () => new Date());
    await vault.seal(ref, 1, secret());
    await vault.seal(ref, 2, Buffer.from('kept'));
    const before = { ...[...records.rows.values()][0]! };
    expect(await vault.shred(ref, [1])).toBe(1);
    await expect(vault.open(ref, 1)).rejects.toThrow(DataKeyDestroyed);
    expect((await vault.open(ref, 2))!.toString()).toBe('kept');
    // Every data key still stored, unwrapped with the KEK, tried against the shredded ciphertext:
    for (const row of records.rows.values()) {
      if (!row.wrappedDek) continue;
      const dek = await kek.unwrap(row.wrappedDek, row.kekVersion, dataKeyAad(ref.tenantId, ref.kind, ref.secretId, row.version));
      expect(() => open(dek, before, secretAad(ref.tenantId, ref.kind, ref.secretId, 1))).toThrow(DecryptionFailed);
    }
    expect(await vault.shred(ref, 'all')).toBe(1);
    expect(await vault.shred(ref, 'all')).toBe(0);
  });
});
