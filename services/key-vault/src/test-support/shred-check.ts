import type { Connection } from 'mongoose';
import type { KekProvider } from '../application/kek-provider';
import { dataKeyAad, secretAad } from '../domain/crypto/aad';
import { open } from '../domain/crypto/sealed-box';

// What an attacker holding the database and the KEK could do with a deleted secret: read its raw
// sealed documents and try every data key still stored in the database (unwrapped with the KEK)
// under the secret's own binding. Returns how many openings were tried and how many succeeded.

const bin = (value: unknown): Buffer => Buffer.from((value as { buffer: Uint8Array }).buffer);

export async function tryToOpenWithDatabaseAndKek(
  db: Connection,
  kek: KekProvider,
  target: { tenantId: string; kind: string; secretId: string },
): Promise<{ sealedVersions: number; dataKeysTried: number; attempts: number; opened: number }> {
  const secrets = db.db!.collection('secrets');
  const sealed = await secrets.find({ tenantId: target.tenantId, secretId: target.secretId }).toArray();
  const candidates = await secrets.find({ wrappedDek: { $ne: null } }).toArray();
  const deks: Buffer[] = [];
  for (const c of candidates) {
    try {
      deks.push(await kek.unwrap(bin(c.wrappedDek), c.kekVersion as number, dataKeyAad(c.tenantId, c.kind, c.secretId, c.version)));
    } catch {
      // not unwrappable under its own binding either: useless to the attacker
    }
  }
  let attempts = 0;
  let opened = 0;
  for (const doc of sealed) {
    const box = { nonce: bin(doc.nonce), ciphertext: bin(doc.ciphertext), tag: bin(doc.tag) };
    for (const dek of deks) {
      attempts += 1;
      try {
        open(dek, box, secretAad(target.tenantId, target.kind, target.secretId, doc.version as number));
        opened += 1;
      } catch {
        // expected: the data key of this secret was destroyed
      }
    }
  }
  return { sealedVersions: sealed.length, dataKeysTried: deks.length, attempts, opened };
}
