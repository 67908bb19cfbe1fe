// Additional authenticated data: what a ciphertext is bound to. Changing any part (another
// tenant, another secret, another version) makes the box fail to open.

/** A tenant's data key, wrapped by the key-encryption key. */
export function dataKeyAad(tenantId: string, dekVersion: number): Buffer {
  return Buffer.from(`dek|${tenantId}|${dekVersion}`, 'utf8');
}

/** A secret sealed under the tenant's data key. */
export function secretAad(tenantId: string, secretId: string, version: number): Buffer {
  return Buffer.from(`secret|${tenantId}|${secretId}|${version}`, 'utf8');
}
