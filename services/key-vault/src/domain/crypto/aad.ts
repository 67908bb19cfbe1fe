// Additional authenticated data: what a ciphertext is bound to. Changing any part (another
// tenant, another kind, another secret, another version) makes the box fail to open. Each
// version of each secret has a data key of its own, bound the same way, so destroying it
// shreds exactly that version. Tenant ids, kinds and UUIDs never contain '|'.

/** The data key of one secret version, wrapped by the key-encryption key. */
export function dataKeyAad(tenantId: string, kind: string, secretId: string, version: number): Buffer {
  return Buffer.from(`dek|${kind}|${tenantId}|${secretId}|${version}`, 'utf8');
}

/** One secret version sealed under its data key. */
export function secretAad(tenantId: string, kind: string, secretId: string, version: number): Buffer {
  return Buffer.from(`secret|${kind}|${tenantId}|${secretId}|${version}`, 'utf8');
}

/** A person's data key, wrapped by the key-encryption key: bound to tenant, person and key id. */
export function subjectKeyAad(tenantId: string, subjectId: string, keyId: string): Buffer {
  return Buffer.from(`subject-key|${tenantId}|${subjectId}|${keyId}`, 'utf8');
}
