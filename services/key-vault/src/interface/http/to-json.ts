import type { MaskedProviderKey, MaskedTenantSecret, MaskedVersion } from '../../application/masked-view';

// Masked views as JSON, field by field (dates as ISO strings).

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function versions(list: MaskedVersion[]) {
  return list.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString(), retiresAt: iso(v.retiresAt), retiredAt: iso(v.retiredAt) }));
}

export function providerKeyJson(key: MaskedProviderKey) {
  return {
    keyId: key.keyId,
    keyVersion: key.keyVersion,
    provider: key.provider,
    label: key.label,
    lastFour: key.lastFour,
    fingerprint: key.fingerprint,
    isDefault: key.isDefault,
    createdAt: key.createdAt.toISOString(),
    rotatedAt: iso(key.rotatedAt),
    lastUsedAt: iso(key.lastUsedAt),
    lastTest: key.lastTest ? { at: key.lastTest.at.toISOString(), version: key.lastTest.version, outcome: key.lastTest.outcome } : null,
    versions: versions(key.versions),
  };
}

export function tenantSecretJson(secret: MaskedTenantSecret) {
  return {
    secretId: secret.secretId,
    kind: secret.kind,
    version: secret.version,
    label: secret.label,
    fingerprint: secret.fingerprint,
    createdAt: secret.createdAt.toISOString(),
    rotatedAt: iso(secret.rotatedAt),
    lastUsedAt: iso(secret.lastUsedAt),
    versions: versions(secret.versions),
  };
}
